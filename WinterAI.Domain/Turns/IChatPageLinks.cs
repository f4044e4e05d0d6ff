namespace WinterAI.Domain.Turns;

/// <summary>What the <c>web</c> command answers: implemented by the chat page channel, so the turn engine need not know it.</summary>
public interface IChatPageLinks
{
    /// <summary>A text with a signed link to the follower's own chat page, or why there is none.</summary>
    string ReplyFor(Follower follower);
}
