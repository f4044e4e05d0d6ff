namespace WinterAI.Domain.Turns;

/// <summary>Finds the channel that owns an account: the one place a follower's account becomes a channel.</summary>
public sealed class ChannelDirectory(IEnumerable<IChannel> channels)
{
    public IReadOnlyList<IChannel> All { get; } = [.. channels];

    /// <summary>The enabled channel whose account this is; null for an account no channel owns (e.g. after a reconfiguration).</summary>
    public IChannel? For(string account) => All.FirstOrDefault(c => c.IsEnabled && c.Account == account);
}
