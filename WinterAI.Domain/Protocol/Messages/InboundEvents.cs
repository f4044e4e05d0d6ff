namespace WinterAI.Domain.Protocol.Messages;

/// <summary>MsgType <c>event</c>.</summary>
public abstract record EventMessage(string Event) : InboundMessage;

public sealed record SubscribeEvent(string? EventKey, string? Ticket) : EventMessage("subscribe");

public sealed record UnsubscribeEvent() : EventMessage("unsubscribe");

public sealed record ScanEvent(string EventKey, string? Ticket) : EventMessage("SCAN");

public sealed record LocationEvent(double Latitude, double Longitude, double Precision) : EventMessage("LOCATION");

public sealed record ClickEvent(string EventKey) : EventMessage("CLICK");

public sealed record ViewEvent(string EventKey, string? MenuId) : EventMessage("VIEW");

public sealed record EnterAgentEvent() : EventMessage("enter_agent");

/// <summary>An event WinterAI does not model; its elements are in <see cref="InboundMessage.Elements"/>.</summary>
public sealed record UnknownEvent(string Name) : EventMessage(Name);
