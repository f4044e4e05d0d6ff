namespace WinterAI.Domain.Channels.WeComRobot;

/// <summary>
/// One streamed answer as kept in the shared store, so any instance can answer WeCom's refresh polls for it: whose
/// turn it shows, when the stream started (WeCom takes updates for about six minutes) and where a late answer goes.
/// </summary>
public sealed record RobotStream(string Id, string Account, string FollowerId, string MessageKey, string? ResponseUrl, long StartedAtUnixMs)
{
    public Follower Follower => new(Account, FollowerId);
}
