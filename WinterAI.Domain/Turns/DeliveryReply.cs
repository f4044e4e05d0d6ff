namespace WinterAI.Domain.Turns;

/// <summary>What a callback delivery answers.</summary>
/// <param name="Kind">Text: reply <paramref name="Text"/>. Nothing: reply "success" (WeChat shows nothing and does not retry).
/// Hold: send nothing and let the platform's timeout lapse so it delivers again.</param>
/// <param name="Image">A picture's page: reply the picture; <paramref name="Text"/> (its link) when it cannot be fetched or uploaded.</param>
/// <param name="VoiceMediaId">The answer as a voice message (temporary voice media); <paramref name="Text"/> is what it says.</param>
public sealed record DeliveryReply(DeliveryReplyKind Kind, string? Text = null, AnswerImage? Image = null, string? VoiceMediaId = null)
{
    public static DeliveryReply Voice(string mediaId, string text) => new(DeliveryReplyKind.Text, text, VoiceMediaId: mediaId);

    public static DeliveryReply Say(string text) => new(DeliveryReplyKind.Text, text);

    /// <summary>A page of an answer: its text, or its picture.</summary>
    public static DeliveryReply Page(AnswerPage page, string text) => page.Image is null ? Say(text) : new(DeliveryReplyKind.Text, text, page.Image);

    public static readonly DeliveryReply Nothing = new(DeliveryReplyKind.Nothing);

    public static readonly DeliveryReply Hold = new(DeliveryReplyKind.Hold);
}

public enum DeliveryReplyKind
{
    Text,
    Nothing,
    Hold,
}
