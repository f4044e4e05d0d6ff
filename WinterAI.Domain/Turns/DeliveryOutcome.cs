
namespace WinterAI.Domain.Turns;

/// <summary>How a delivery (or a push) ended, as counted by <see cref="DeliveryMetrics"/>.</summary>
public enum DeliveryOutcome
{
    /// <summary>The answer went out as the passive reply; the delivery number is a separate tag.</summary>
    Answered,
    /// <summary>A delivery before the last lapsed without a reply so that WeChat retries.</summary>
    Held,
    /// <summary>The last delivery replied the wait message; the answer waits for <c>1</c>.</summary>
    WaitMessage,
    /// <summary>The last delivery replied "success" and the answer will be pushed.</summary>
    HandedToPush,
    /// <summary>A page pushed through the platform API.</summary>
    Pushed,
    /// <summary>The platform refused a push; the answer falls back to <c>1</c>.</summary>
    PushFallback,
    /// <summary>A page handed out by <c>1</c>.</summary>
    Fetched,
    /// <summary>The follower's per-minute or per-day quota was used up.</summary>
    QuotaExceeded,
    /// <summary>Too many questions were waiting for Dify.</summary>
    Busy,
}
