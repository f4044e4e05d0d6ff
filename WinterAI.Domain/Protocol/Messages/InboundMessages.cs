namespace WinterAI.Domain.Protocol.Messages;

public sealed record TextMessage(string Content) : InboundMessage;

public sealed record ImageMessage(string PicUrl, string MediaId) : InboundMessage;

/// <param name="Recognition">The speech-recognition text, when the account has recognition switched on.</param>
public sealed record VoiceMessage(string MediaId, string Format, string? Recognition) : InboundMessage;

/// <summary>MsgType <c>video</c> or <c>shortvideo</c> (see <see cref="InboundMessage.MsgType"/>).</summary>
public sealed record VideoMessage(string MediaId, string ThumbMediaId) : InboundMessage;

public sealed record LocationMessage(double LocationX, double LocationY, int Scale, string Label) : InboundMessage;

public sealed record LinkMessage(string Title, string Description, string Url) : InboundMessage;

/// <summary>A MsgType WinterAI does not model; its elements are in <see cref="InboundMessage.Elements"/>.</summary>
public sealed record UnknownMessage : InboundMessage;
