namespace WinterAI.Domain.Turns;

/// <summary>Sends a finished answer to a follower outside the passive reply (customer-service API, WeCom message/send).</summary>
public interface IAnswerPusher
{
    /// <summary>Pushes the answer; returns false when the platform refused it and the answer must stay available through <c>1</c>.</summary>
    Task<bool> PushAsync(Follower follower, TurnRecord turn, CancellationToken ct);

    /// <summary>Shows the follower that an answer is being generated (best effort; never throws for a refusal).</summary>
    Task TypingAsync(Follower follower, CancellationToken ct);
}
