using System.Net.Http.Headers;

namespace WinterAI.Domain.Dify;

/// <summary>Reads <c>Retry-After</c> (delta seconds or HTTP-date) as a delay.</summary>
internal static class RetryAfter
{
    /// <returns>
    /// The delay the server asked for, never negative and at most <paramref name="cap"/>, so one unreasonable
    /// header cannot park a turn beyond its own timeout; null when the header is absent.
    /// </returns>
    public static TimeSpan? ToDelay(RetryConditionHeaderValue? header, DateTimeOffset now, TimeSpan cap)
    {
        var delay = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => (TimeSpan?)null,
        };
        return delay is { } d ? TimeSpan.FromTicks(Math.Clamp(d.Ticks, 0, cap.Ticks)) : null;
    }
}
