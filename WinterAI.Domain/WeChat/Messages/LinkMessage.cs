namespace WinterAI.Domain.WeChat.Messages;

public sealed record LinkMessage(string Title, string Description, string Url) : InboundMessage;
