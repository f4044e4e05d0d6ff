using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace WinterAI.Domain.Channels.ChatPage;

/// <summary>
/// Chat link tokens: <c>base64url(account \n openid \n expiry) . base64url(HMAC-SHA256)</c>. The follower is carried
/// inside the signed part, never beside it, so editing the URL can only break the signature, not point it at someone
/// else. The MAC input starts with a purpose label so that the key, should it ever sign anything else, cannot be
/// made to vouch for a chat link.
/// </summary>
/// <remarks>
/// The openid is everything between the first and the last line break. It comes from the platform's XML and may
/// hold any character, line breaks included; the account (from configuration) and the expiry (digits) never hold
/// one, so the split is unambiguous. Tokens for openids without line breaks read exactly as before.
/// </remarks>
public sealed class ChatLinkSigner(IOptionsMonitor<ChatOptions> options, TimeProvider time)
{
    /// <summary>No token we issue is longer (a real openid's is about 120 characters); anything longer is refused before decoding.</summary>
    public const int MaxTokenLength = 1024;

    private const char Separator = '\n';
    private static readonly byte[] Purpose = Encoding.UTF8.GetBytes("winterai-chat-link-v1\n");

    /// <summary>Throws on a lone surrogate, which UTF-8 cannot carry: it would come back as U+FFFD, naming another follower.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A token for <paramref name="follower"/> that expires <see cref="ChatOptions.LinkTtl"/> from now.</summary>
    public bool TrySign(Follower follower, [NotNullWhen(true)] out string? token) =>
        TrySign(follower, time.GetUtcNow() + options.CurrentValue.LinkTtl, out token);

    /// <summary>
    /// A token for <paramref name="follower"/> that expires at <paramref name="expiresAt"/> (whole seconds). False when
    /// no token could name exactly this follower: an empty id, an id that is not well-formed text, or one so long that
    /// the token would exceed <see cref="MaxTokenLength"/> (far beyond any real openid or UserID).
    /// </summary>
    public bool TrySign(Follower follower, DateTimeOffset expiresAt, [NotNullWhen(true)] out string? token)
    {
        token = null;
        if (follower.Account.Length == 0 || follower.Account.Contains(Separator, StringComparison.Ordinal) || follower.Id.Length == 0)
        {
            return false;
        }

        byte[] payload;
        try
        {
            payload = StrictUtf8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{follower.Account}{Separator}{follower.Id}{Separator}{expiresAt.ToUnixTimeSeconds()}"));
        }
        catch (EncoderFallbackException)
        {
            return false;
        }

        var signed = $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(Mac(payload))}";
        if (signed.Length > MaxTokenLength)
        {
            return false;
        }

        token = signed;
        return true;
    }

    /// <inheritdoc cref="TrySign(Follower, DateTimeOffset, out string?)"/>
    /// <exception cref="ArgumentException">No token can name exactly this follower.</exception>
    public string Sign(Follower follower, DateTimeOffset expiresAt) =>
        TrySign(follower, expiresAt, out var token) ? token : throw new ArgumentException("No chat link can carry this follower.", nameof(follower));

    /// <inheritdoc cref="TrySign(Follower, out string?)"/>
    /// <exception cref="ArgumentException">No token can name exactly this follower.</exception>
    public string Sign(Follower follower) =>
        TrySign(follower, out var token) ? token : throw new ArgumentException("No chat link can carry this follower.", nameof(follower));

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

        var text = Encoding.UTF8.GetString(payload);
        var first = text.IndexOf(Separator, StringComparison.Ordinal);
        var last = text.LastIndexOf(Separator);
        if (first <= 0 || last <= first + 1
            || !long.TryParse(text.AsSpan(last + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var expiry)
            || expiry > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return ChatLinkCheck.Invalid;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(expiry);
        return expiresAt <= time.GetUtcNow()
            ? ChatLinkCheck.Expired
            : new ChatLinkCheck(ChatLinkStatus.Valid, new Follower(text[..first], text[(first + 1)..last]), expiresAt);
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
