namespace WinterAI.Domain.Turns;

/// <summary>Sends a finished answer to a follower outside the passive reply (customer-service API, WeCom message/send).</summary>
public interface IAnswerPusher
{
    /// <summary>Pushes the answer; returns false when the platform refused it and the answer must stay available through <c>1</c>.</summary>
    Task<bool> PushAsync(Follower follower, TurnRecord turn, CancellationToken ct);

    /// <summary>
    /// Sends one short text outside the reply (the questions suggested after an answer that was pushed before they
    /// arrived); false when the channel has no such message or the platform refused it. Nothing falls back to <c>1</c>.
    /// </summary>
    Task<bool> PushTextAsync(Follower follower, string text, CancellationToken ct) => Task.FromResult(false);

    /// <summary>Shows the follower that an answer is being generated (best effort; never throws for a refusal).</summary>
    Task TypingAsync(Follower follower, CancellationToken ct);
}
