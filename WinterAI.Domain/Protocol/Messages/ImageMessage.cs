
namespace WinterAI.Domain.Protocol.Messages;

public sealed record ImageMessage(string PicUrl, string MediaId) : InboundMessage;
