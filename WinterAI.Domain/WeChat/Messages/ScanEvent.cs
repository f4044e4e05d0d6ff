namespace WinterAI.Domain.WeChat.Messages;

public sealed record ScanEvent(string EventKey, string? Ticket) : EventMessage("SCAN");
