
namespace WinterAI.Domain.Protocol.Messages;

public sealed record LocationMessage(double LocationX, double LocationY, int Scale, string Label) : InboundMessage;
