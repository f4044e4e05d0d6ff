
namespace WinterAI.Domain.Protocol.Messages;

/// <summary>An event WinterAI does not model; its elements are in <see cref="InboundMessage.Elements"/>.</summary>
public sealed record UnknownEvent(string Name) : EventMessage(Name);
