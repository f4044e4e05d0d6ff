namespace WinterAI.Domain.Protocol.Platform;

/// <summary>A WeChat/WeCom API call answered with a non-zero errcode, or could not be made. Never carries the token.</summary>
public sealed class PlatformApiException(int errorCode, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The platform's errcode; -2 when the call failed before the platform answered.</summary>
    public int ErrorCode { get; } = errorCode;

    public const int TransportFailure = -2;

    /// <summary>Not the platform's code: a download was refused for its size.</summary>
    public const int TooLarge = -3;

    /// <summary>40001, 40014, 42001: the access_token is invalid or expired.</summary>
    public bool IsTokenProblem => ErrorCode is 40001 or 40014 or 42001;
}
