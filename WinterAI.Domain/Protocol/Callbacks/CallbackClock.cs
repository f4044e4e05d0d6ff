using System.Globalization;

namespace WinterAI.Domain.Protocol.Callbacks;

/// <summary>The query checks every callback passes before anything else: a fresh timestamp and a nonce of sane shape.</summary>
public static class CallbackClock
{
    /// <summary>WeChat sends a decimal nonce of about ten digits, WeCom a short alphanumeric one; anything longer, or with spaces or control characters, is not theirs.</summary>
    public const int MaxNonceLength = 64;

    /// <summary>Refuses replayed or forged callbacks whose timestamp is too far from our clock.</summary>
    public static bool IsFresh(string? timestamp, DateTimeOffset now, TimeSpan maxSkew) =>
        long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && seconds < DateTimeOffset.MaxValue.ToUnixTimeSeconds()
        && (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() <= maxSkew;

    public static bool IsNonce(string? nonce) =>
        nonce is { Length: > 0 and <= MaxNonceLength } && nonce.All(c => c is > ' ' and < '\x7f');
}
