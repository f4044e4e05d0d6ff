namespace WinterAI.Tests;

/// <summary>Polls a condition until it holds or a deadline passes: for state another thread changes.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, TimeSpan timeout, string because)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(timeout.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!condition())
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"Still not true after {timeout}: {because}");
            }

            await Task.Delay(10);
        }
    }
}
