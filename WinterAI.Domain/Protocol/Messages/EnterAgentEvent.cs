
namespace WinterAI.Domain.Protocol.Messages;

public sealed record EnterAgentEvent() : EventMessage("enter_agent");
