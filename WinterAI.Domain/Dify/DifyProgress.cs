namespace WinterAI.Domain.Dify;

/// <param name="AnswerSoFar">The whole answer as it stands now.</param>
/// <param name="Delta">What this event added; empty when <paramref name="Replaced"/>.</param>
/// <param name="Replaced">True after <c>message_replace</c>: the answer so far was replaced, not extended.</param>
/// <param name="TaskId">Dify's task id for this turn, when the stream carried one: what <see cref="IDifyClient.StopAsync(string, string, DifyAppType, CancellationToken)"/> takes.</param>
public sealed record DifyProgress(string AnswerSoFar, string Delta, bool Replaced, string? TaskId = null);
