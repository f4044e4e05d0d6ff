using WinterAI.Domain.Dify.Wire;

namespace WinterAI.Domain.Dify;

/// <summary>
/// One attempt's HTTP outcome as the resilience pipeline sees it. A success keeps the open body, the stream still
/// to be read; a failure has already read and released its small error body.
/// </summary>
internal sealed class DifyHttpResult : IDisposable
{
    DifyHttpResult(int status, Stream? body, DifyErrorBody? error, TimeSpan? retryAfter)
    {
        Status = status;
        Body = body;
        Error = error;
        RetryAfter = retryAfter;
    }

    public int Status { get; }

    public bool IsSuccess => Status is >= 200 and < 300;

    public Stream? Body { get; }

    public DifyErrorBody? Error { get; }

    /// <summary>The server's <c>Retry-After</c>, already capped.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Dify's answer to a conversation id it does not know (deleted, expired, or another app's).</summary>
    public bool IsConversationNotFound =>
        Status == 404 && Error?.Message?.Contains("Conversation Not Exists", StringComparison.OrdinalIgnoreCase) == true;

    public static DifyHttpResult Succeeded(int status, Stream body) => new(status, body, null, null);

    public static DifyHttpResult Failed(int status, DifyErrorBody? error, TimeSpan? retryAfter) => new(status, null, error, retryAfter);

    public void Dispose() => Body?.Dispose();
}
