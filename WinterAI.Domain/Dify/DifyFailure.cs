namespace WinterAI.Domain.Dify;

/// <summary>Why a Dify turn failed, coarse enough to pick a follower-facing text.</summary>
public enum DifyFailure
{
    /// <summary>No <c>Dify:ApiKey</c> configured.</summary>
    NotConfigured,
    /// <summary>429 after every retry.</summary>
    RateLimited,
    /// <summary>400 provider_quota_exceeded.</summary>
    QuotaExceeded,
    /// <summary>5xx, connection failures, app_unavailable, provider_not_initialize, or the circuit is open.</summary>
    Unavailable,
    /// <summary>An attempt or the whole turn ran out of time.</summary>
    Timeout,
    /// <summary>Any other 4xx (invalid_param, 401 bad key, ...).</summary>
    Rejected,
    /// <summary>The stream ended with an <c>error</c> event or broke before <c>message_end</c>.</summary>
    StreamFailed,
    /// <summary>
    /// Dify refused the key (401), the app is not of the configured type (<c>not_chat_app</c>, <c>not_workflow_app</c>,
    /// <c>not_completion_app</c>), or a workflow lacks the configured output: only the operator can fix it.
    /// </summary>
    Misconfigured,
}
