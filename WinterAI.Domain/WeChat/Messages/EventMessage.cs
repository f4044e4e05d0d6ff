namespace WinterAI.Domain.WeChat.Messages;

/// <summary>MsgType <c>event</c>.</summary>
public abstract record EventMessage(string Event) : InboundMessage;
