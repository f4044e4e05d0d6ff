
namespace WinterAI.Domain.Protocol.Messages;

public sealed record ScanEvent(string EventKey, string? Ticket) : EventMessage("SCAN");
