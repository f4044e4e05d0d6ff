namespace WinterAI.Domain.Turns;

/// <summary>The follower's newest answer and the questions Dify suggested after it.</summary>
/// <param name="MessageKey">The answer's turn.</param>
/// <param name="Questions">Null while they are being fetched; empty when Dify had none or could not be asked.</param>
/// <param name="AnsweredAtUnixMs">When the answer was saved, to bound how long a live view waits for them.</param>
public sealed record SuggestedQuestionsRecord(string MessageKey, IReadOnlyList<string>? Questions, long AnsweredAtUnixMs)
{
    public bool IsPending => Questions is null;
}
