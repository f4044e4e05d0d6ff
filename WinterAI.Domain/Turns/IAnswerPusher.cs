
namespace WinterAI.Domain.Turns;

/// <summary>Sends a finished answer to a follower outside the passive reply (customer-service API, WeCom message/send).</summary>
public interface IAnswerPusher
{
    bool Handles(string account);

    /// <summary>Pushes the answer; returns false when the platform refused it and the answer must stay available through <c>1</c>.</summary>
    Task<bool> PushAsync(Follower follower, TurnRecord turn, CancellationToken ct);

    /// <summary>Shows the follower that an answer is being generated (best effort; never throws for a refusal).</summary>
    Task TypingAsync(Follower follower, CancellationToken ct);

    /// <summary>
    /// True when the platform renders Markdown itself (WeCom markdown messages): answers are kept as Dify wrote them
    /// instead of being rendered to plain text, and <c>1</c> pages through the same text.
    /// </summary>
    bool KeepsMarkdown => false;
}
