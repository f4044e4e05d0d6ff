
namespace WinterAI.Domain.Turns;

public enum DeliveryReplyKind
{
    Text,
    Nothing,
    Hold,
}
