namespace WinterAI.Domain.Channels.WeComRobot;

/// <summary>
/// One streamed answer as kept in the shared store, so any instance can answer WeCom's refresh polls for it: whose
/// turn it shows, when the stream started (WeCom takes updates for about six minutes) and where a late answer goes: the
/// message's <c>response_url</c> (webhook mode), or the chat a proactive <c>aibot_send_msg</c> names (long-connection
/// mode: the member's userid in a single chat, the group's chatid in a group).
/// </summary>
public sealed record RobotStream(string Id, string Account, string FollowerId, string MessageKey, string? ResponseUrl, long StartedAtUnixMs, string? ChatId = null)
{
    public Follower Follower => new(Account, FollowerId);
}
