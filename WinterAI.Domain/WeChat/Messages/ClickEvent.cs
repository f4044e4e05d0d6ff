namespace WinterAI.Domain.WeChat.Messages;

public sealed record ClickEvent(string EventKey) : EventMessage("CLICK");
