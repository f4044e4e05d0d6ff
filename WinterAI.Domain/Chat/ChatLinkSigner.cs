using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Conversations;

namespace WinterAI.Domain.Chat;

/// <summary>
/// Chat link tokens: <c>base64url(account \n openid \n expiry) . base64url(HMAC-SHA256)</c>. The follower is carried
/// inside the signed part, never beside it, so editing the URL can only break the signature, not point it at someone
/// else. The MAC input starts with a purpose label so that the key, should it ever sign anything else, cannot be
/// made to vouch for a chat link.
/// </summary>
public sealed class ChatLinkSigner(IOptionsMonitor<ChatOptions> options, TimeProvider time)
{
    /// <summary>Far longer than any token we issue; anything longer is refused before decoding.</summary>
    public const int MaxTokenLength = 1024;

    private const char Separator = '\n';
    private static readonly byte[] Purpose = Encoding.UTF8.GetBytes("winterai-chat-link-v1\n");

    /// <summary>A token for <paramref name="follower"/> that expires <see cref="ChatOptions.LinkTtl"/> from now.</summary>
    public string Sign(Follower follower)
    {
        var o = options.CurrentValue;
        return Sign(follower, time.GetUtcNow() + o.LinkTtl);
    }

    /// <summary>A token for <paramref name="follower"/> that expires at <paramref name="expiresAt"/> (whole seconds).</summary>
    public string Sign(Follower follower, DateTimeOffset expiresAt)
    {
        if (follower.Account.Contains(Separator, StringComparison.Ordinal) || follower.Id.Contains(Separator, StringComparison.Ordinal))
        {
            throw new ArgumentException("Account and follower id must not contain line breaks.", nameof(follower));
        }

        var payload = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{follower.Account}{Separator}{follower.Id}{Separator}{expiresAt.ToUnixTimeSeconds()}"));
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(Mac(payload))}";
    }

    /// <summary>Checks signature first (in constant time), then expiry; says nothing about who a bad token names.</summary>
    public ChatLinkCheck Verify(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength || options.CurrentValue.SigningKey.Length == 0)
        {
            return ChatLinkCheck.Invalid;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot != token.LastIndexOf('.') || !TryDecode(token[..dot], out var payload) || !TryDecode(token[(dot + 1)..], out var mac))
        {
            return ChatLinkCheck.Invalid;
        }

        if (!CryptographicOperations.FixedTimeEquals(Mac(payload), mac))
        {
            return ChatLinkCheck.Invalid;
        }

        var parts = Encoding.UTF8.GetString(payload).Split(Separator);
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry)
            || expiry > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return ChatLinkCheck.Invalid;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(expiry);
        return expiresAt <= time.GetUtcNow()
            ? ChatLinkCheck.Expired
            : new ChatLinkCheck(ChatLinkStatus.Valid, new Follower(parts[0], parts[1]), expiresAt);
    }

    private byte[] Mac(byte[] payload)
    {
        var key = Encoding.UTF8.GetBytes(options.CurrentValue.SigningKey);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Purpose);
        hmac.AppendData(payload);
        return hmac.GetHashAndReset();
    }

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || !Base64Url.IsValid(text))
        {
            return false;
        }

        // Only the canonical spelling counts: otherwise a character differing in the unused low bits would decode
        // to the same bytes, and an edited link would still open.
        bytes = Base64Url.DecodeFromChars(text);
        return Base64Url.EncodeToString(bytes) == text;
    }
}
