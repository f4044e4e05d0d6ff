
namespace WinterAI.Domain.Protocol.Messages;

public sealed record LinkMessage(string Title, string Description, string Url) : InboundMessage;
