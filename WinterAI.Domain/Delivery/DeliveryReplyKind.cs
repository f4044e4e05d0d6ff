namespace WinterAI.Domain.Delivery;

public enum DeliveryReplyKind
{
    Text,
    Nothing,
    Hold,
}
