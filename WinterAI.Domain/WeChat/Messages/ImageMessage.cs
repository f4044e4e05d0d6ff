namespace WinterAI.Domain.WeChat.Messages;

public sealed record ImageMessage(string PicUrl, string MediaId) : InboundMessage;
