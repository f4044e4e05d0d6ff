namespace WinterAI.Testing;

/// <summary>
/// The system clock set to another instant (e.g. a published vector's timestamp from 2014), running on from there in
/// real time, and moved on at once by <see cref="Advance"/> (e.g. past a window that would otherwise be waited out);
/// timers are the system's, so everything that waits still waits for real.
/// </summary>
public sealed class ShiftedTimeProvider(DateTimeOffset now) : TimeProvider
{
    private long offsetTicks = (now - System.GetUtcNow()).Ticks;

    public static ShiftedTimeProvider At(long unixSeconds) => new(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    /// <summary>Moves the clock forward by <paramref name="by"/>.</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);
}
