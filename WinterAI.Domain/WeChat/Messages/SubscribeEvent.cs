namespace WinterAI.Domain.WeChat.Messages;

public sealed record SubscribeEvent(string? EventKey, string? Ticket) : EventMessage("subscribe");
