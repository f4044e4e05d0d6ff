namespace WinterAI.Web.Admin;

/// <summary>What WinterAI holds about one follower.</summary>
/// <param name="ConversationId">The Dify conversation their next question continues; null after /clear or expiry.</param>
/// <param name="Turns">Recent questions, oldest first, with their answers and how many pages were handed out.</param>
/// <param name="Queued">Message keys of questions waiting for (or in) a Dify call, oldest first.</param>
public sealed record FollowerState(
    string Account,
    string OpenId,
    string? ConversationId,
    IReadOnlyList<TurnState> Turns,
    IReadOnlyList<string> Queued,
    QuotaUse Quota);
