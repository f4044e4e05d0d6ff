
namespace WinterAI.Domain.Protocol.Messages;

public sealed record UnsubscribeEvent() : EventMessage("unsubscribe");
