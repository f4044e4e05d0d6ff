namespace WinterAI.Domain.WeChat.Messages;

public sealed record EnterAgentEvent() : EventMessage("enter_agent");
