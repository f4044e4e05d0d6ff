
namespace WinterAI.Domain.Protocol.Messages;

public sealed record ClickEvent(string EventKey) : EventMessage("CLICK");
