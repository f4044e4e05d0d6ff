
namespace WinterAI.Domain.Protocol.Messages;

/// <summary>MsgType <c>event</c>.</summary>
public abstract record EventMessage(string Event) : InboundMessage;
