namespace WinterAI.Domain.WeChat.Messages;

public sealed record ViewEvent(string EventKey, string? MenuId) : EventMessage("VIEW");
