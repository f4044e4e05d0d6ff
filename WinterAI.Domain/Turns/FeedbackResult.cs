namespace WinterAI.Domain.Turns;

/// <summary>What came of rating an answer.</summary>
public enum FeedbackResult
{
    /// <summary>Dify took the rating.</summary>
    Sent,

    /// <summary>No answer to rate: none yet, a failure text, an older record, or an answer Dify no longer knows (404).</summary>
    NothingToRate,

    /// <summary>Dify could not be asked (unavailable, timeout, refused).</summary>
    Failed,
}
