namespace WinterAI.Domain.WeChat.Messages;

public sealed record TextMessage(string Content) : InboundMessage;
