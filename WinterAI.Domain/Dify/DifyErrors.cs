using WinterAI.Domain.Dify.Wire;

namespace WinterAI.Domain.Dify;

/// <summary>Maps Dify's error statuses and codes (PROTOCOL.md §4) to <see cref="DifyFailure"/>.</summary>
internal static class DifyErrors
{
    public static DifyFailure ForHttp(int status, string? code) => code switch
    {
        "provider_quota_exceeded" => DifyFailure.QuotaExceeded,
        "too_many_requests" or "rate_limit_error" => DifyFailure.RateLimited,
        "app_unavailable" or "provider_not_initialize" => DifyFailure.Unavailable,
        "not_chat_app" or "not_workflow_app" or "not_completion_app" => DifyFailure.Misconfigured,
        _ when status == 401 => DifyFailure.Misconfigured,
        _ when status == 429 => DifyFailure.RateLimited,
        _ when status >= 500 => DifyFailure.Unavailable,
        _ => DifyFailure.Rejected,
    };

    /// <summary>
    /// An <c>error</c> event is a failed turn whatever its status; only quota and rate limits are worth telling
    /// apart, because the follower-facing text differs.
    /// </summary>
    public static DifyFailure ForStream(DifyErrorBody error) => error.Code switch
    {
        "provider_quota_exceeded" => DifyFailure.QuotaExceeded,
        "too_many_requests" or "rate_limit_error" => DifyFailure.RateLimited,
        _ when error.Status == 429 => DifyFailure.RateLimited,
        _ => DifyFailure.StreamFailed,
    };

    /// <summary>Snake-case names used as metric tag values.</summary>
    public static string TagValue(DifyFailure failure) => failure switch
    {
        DifyFailure.NotConfigured => "not_configured",
        DifyFailure.RateLimited => "rate_limited",
        DifyFailure.QuotaExceeded => "quota_exceeded",
        DifyFailure.Unavailable => "unavailable",
        DifyFailure.Timeout => "timeout",
        DifyFailure.Rejected => "rejected",
        DifyFailure.StreamFailed => "stream_failed",
        DifyFailure.Misconfigured => "misconfigured",
        _ => "unknown",
    };
}
