
namespace WinterAI.Domain.Protocol.Messages;

/// <param name="Recognition">The speech-recognition text, when the account has recognition switched on.</param>
public sealed record VoiceMessage(string MediaId, string Format, string? Recognition) : InboundMessage;
