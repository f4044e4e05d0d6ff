
namespace WinterAI.Domain.Protocol.Messages;

public sealed record SubscribeEvent(string? EventKey, string? Ticket) : EventMessage("subscribe");
