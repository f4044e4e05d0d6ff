namespace WinterAI.Domain.WeChat.Messages;

public sealed record UnsubscribeEvent() : EventMessage("unsubscribe");
