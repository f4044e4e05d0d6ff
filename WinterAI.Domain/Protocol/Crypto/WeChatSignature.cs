using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace WinterAI.Domain.Protocol.Crypto;

/// <summary>
/// The SHA-1 signature WeChat and WeCom put on every callback: plaintext mode signs
/// <c>[token, timestamp, nonce]</c>, encrypted mode (<c>msg_signature</c>) adds the Encrypt value or echostr.
/// </summary>
public static class WeChatSignature
{
    private const int Sha1Size = 20;

    /// <summary>Lowercase hex SHA-1 of the parts sorted ordinally and concatenated.</summary>
    public static string Compute(params string[] parts) => Convert.ToHexStringLower(Hash(parts));

    /// <summary>
    /// Whether <paramref name="candidate"/> is the signature of <paramref name="parts"/>. Hex case does not
    /// matter. The comparison is over the raw digests in constant time, so response timing tells an attacker
    /// nothing about how much of a forged signature was right.
    /// </summary>
    public static bool Verify(string? candidate, params string[] parts)
    {
        // A missing query parameter arrives as null; that is a failed check, not a crash.
        if (candidate is null || candidate.Length != Sha1Size * 2 || parts is null || Array.Exists(parts, p => p is null))
        {
            return false;
        }

        Span<byte> given = stackalloc byte[Sha1Size];
        if (Convert.FromHexString(candidate, given, out _, out int written) != OperationStatus.Done || written != Sha1Size)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, Hash(parts));
    }

    private static byte[] Hash(string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var sorted = new string[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            sorted[i] = parts[i] ?? throw new ArgumentNullException(nameof(parts), $"Signature part {i} is null.");
        }

        // Ordinal, not culture-aware: Tencent sorts by byte value, and a culture sort would reorder e.g. '_' and letters.
        Array.Sort(sorted, StringComparer.Ordinal);
        return SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(sorted)));
    }
}
