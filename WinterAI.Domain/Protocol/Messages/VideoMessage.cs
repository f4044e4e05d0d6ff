
namespace WinterAI.Domain.Protocol.Messages;

/// <summary>MsgType <c>video</c> or <c>shortvideo</c> (see <see cref="InboundMessage.MsgType"/>).</summary>
public sealed record VideoMessage(string MediaId, string ThumbMediaId) : InboundMessage;
