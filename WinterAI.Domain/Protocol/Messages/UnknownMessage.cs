
namespace WinterAI.Domain.Protocol.Messages;

/// <summary>A MsgType WinterAI does not model; its elements are in <see cref="InboundMessage.Elements"/>.</summary>
public sealed record UnknownMessage : InboundMessage;
