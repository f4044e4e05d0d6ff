namespace WinterAI.Domain.WeChat;

/// <summary>Refuses replayed or forged callbacks whose timestamp is too far from our clock.</summary>
public static class CallbackClock
{
    public static bool IsFresh(string? timestamp, DateTimeOffset now, TimeSpan maxSkew) =>
        long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
        && seconds < DateTimeOffset.MaxValue.ToUnixTimeSeconds()
        && (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() <= maxSkew;
}
