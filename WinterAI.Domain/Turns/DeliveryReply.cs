namespace WinterAI.Domain.Turns;

/// <summary>What a callback delivery answers.</summary>
/// <param name="Kind">Text: reply <paramref name="Text"/>. Nothing: reply "success" (WeChat shows nothing and does not retry).
/// Hold: send nothing and let the platform's timeout lapse so it delivers again.</param>
public sealed record DeliveryReply(DeliveryReplyKind Kind, string? Text = null)
{
    public static DeliveryReply Say(string text) => new(DeliveryReplyKind.Text, text);

    public static readonly DeliveryReply Nothing = new(DeliveryReplyKind.Nothing);

    public static readonly DeliveryReply Hold = new(DeliveryReplyKind.Hold);
}

public enum DeliveryReplyKind
{
    Text,
    Nothing,
    Hold,
}
