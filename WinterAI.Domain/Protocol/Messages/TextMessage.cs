
namespace WinterAI.Domain.Protocol.Messages;

public sealed record TextMessage(string Content) : InboundMessage;
