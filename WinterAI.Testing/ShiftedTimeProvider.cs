namespace WinterAI.Testing;

/// <summary>
/// The system clock set to another instant (e.g. a published vector's timestamp from 2014), running on from there in
/// real time; timers are the system's, so everything that waits still waits for real.
/// </summary>
public sealed class ShiftedTimeProvider(DateTimeOffset now) : TimeProvider
{
    private readonly TimeSpan offset = now - System.GetUtcNow();

    public static ShiftedTimeProvider At(long unixSeconds) => new(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
