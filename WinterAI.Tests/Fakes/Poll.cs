namespace WinterAI.Tests.Fakes;

/// <summary>Waits for a condition that becomes true through someone else's work, failing after a deadline.</summary>
public static class Poll
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(10);

    /// <summary>Repeats <paramref name="probe"/> until it returns true; exceptions count as "not yet".</summary>
    public static async Task UntilAsync(Func<Task<bool>> probe, string what, TimeSpan? deadline = null)
    {
        var limit = deadline ?? DefaultDeadline;
        var started = TimeProvider.System.GetTimestamp();
        Exception? last = null;
        while (TimeProvider.System.GetElapsedTime(started) < limit)
        {
            try
            {
                if (await probe())
                {
                    return;
                }
            }
            catch (Exception e)
            {
                last = e;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25));
        }

        Assert.Fail($"Timed out after {limit} waiting until {what}." + (last is null ? "" : $" Last error: {last.Message}"));
    }
}
