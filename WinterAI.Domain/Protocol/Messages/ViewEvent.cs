
namespace WinterAI.Domain.Protocol.Messages;

public sealed record ViewEvent(string EventKey, string? MenuId) : EventMessage("VIEW");
