namespace WinterAI.Bench;

/// <summary>
/// One monotonic clock for everything the bench measures: WeChat's deliveries, the fake Dify's answers and the
/// pushes all happen in this process, so their instants compare directly, unaffected by wall-clock jumps.
/// </summary>
public static class BenchClock
{
    private static readonly long Origin = TimeProvider.System.GetTimestamp();

    /// <summary>Milliseconds since the bench started.</summary>
    public static double NowMs => TimeProvider.System.GetElapsedTime(Origin).TotalMilliseconds;

    /// <summary>Waits until <paramref name="instantMs"/> (no-op when it has passed).</summary>
    public static Task UntilAsync(double instantMs, CancellationToken ct)
    {
        var wait = instantMs - NowMs;
        return wait <= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromMilliseconds(wait), ct);
    }
}
