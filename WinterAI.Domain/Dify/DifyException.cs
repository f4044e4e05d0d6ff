namespace WinterAI.Domain.Dify;

/// <summary>A failed Dify call, typed by <see cref="Failure"/>. The message never contains the API key.</summary>
public sealed class DifyException(DifyFailure failure, string message, int? httpStatus = null, string? code = null, Exception? inner = null)
    : Exception(message, inner)
{
    public DifyFailure Failure { get; } = failure;

    public int? HttpStatus { get; } = httpStatus;

    /// <summary>Dify's error <c>code</c> (e.g. <c>provider_quota_exceeded</c>), when it sent one.</summary>
    public string? Code { get; } = code;
}
