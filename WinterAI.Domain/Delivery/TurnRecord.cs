namespace WinterAI.Domain.Delivery;

/// <summary>One question and, once Dify has answered, its rendered answer.</summary>
/// <param name="MessageKey">The message's deduplication key.</param>
/// <param name="Failed">True when <paramref name="Answer"/> is a friendly failure text rather than Dify's answer.</param>
public sealed record TurnRecord(
    string MessageKey,
    string Question,
    long AskedAtUnixMs,
    string? Answer = null,
    bool Failed = false,
    long? AnsweredAtUnixMs = null)
{
    public bool IsAnswered => Answer is not null;
}
