using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using WinterAI.Domain.Protocol.Callbacks;

namespace WinterAI.Domain.Protocol.Crypto;

/// <summary>
/// The AES scheme of the official account's safe/compatible mode and of WeCom callbacks: plaintext is
/// 16 random bytes ‖ big-endian 4-byte message length ‖ message ‖ ReceiveId, PKCS#7-padded to a 32-byte
/// block, encrypted with AES-256-CBC and IV = key[0..16], sent as base64.
/// </summary>
/// <remarks>
/// <para>CBC carries no integrity: a modified ciphertext can still decrypt to well-formed output. Verify the
/// msg_signature (<see cref="WeChatSignature"/>) before decrypting; that also keeps the padding checks below
/// from serving as a padding oracle, since nobody without the token gets this far.</para>
/// <para>Text is strict UTF-8 in both directions. On decryption, bytes that are not valid UTF-8 are a
/// <see cref="WeChatProtocolException"/> rather than being replaced with U+FFFD: Tencent only sends valid
/// UTF-8, and garbage almost always means the wrong key (which is what key rotation needs to detect).</para>
/// </remarks>
public static class MessageCrypto
{
    public const int KeySize = 32;

    private const int EncodedKeyLength = 43;
    private const int RandomPrefixSize = 16;
    private const int LengthFieldSize = 4;
    private const int HeaderSize = RandomPrefixSize + LengthFieldSize;

    // Tencent pads to 32 bytes, not to AES's 16, which is why PaddingMode.PKCS7 cannot be used.
    private const int PadBlockSize = 32;
    private const int AesBlockSize = 16;

    private static readonly SearchValues<char> Base64Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Turns the 43-character EncodingAESKey from the platform's console into the 32-byte AES key.</summary>
    /// <exception cref="FormatException">
    /// Not exactly 43 characters of the standard base64 alphabet. The message never repeats the key.
    /// </exception>
    public static byte[] DecodeAesKey(string encodingAesKey)
    {
        ArgumentNullException.ThrowIfNull(encodingAesKey);
        if (encodingAesKey.Length != EncodedKeyLength)
        {
            throw new FormatException(
                $"An EncodingAESKey must be exactly {EncodedKeyLength} base64 characters without '=' padding; this one has {encodingAesKey.Length}.");
        }

        var bad = encodingAesKey.AsSpan().IndexOfAnyExcept(Base64Alphabet);
        if (bad >= 0)
        {
            throw new FormatException(
                $"An EncodingAESKey may only contain A-Z, a-z, 0-9, '+' and '/'; the character at position {bad + 1} is not one of them.");
        }

        // The 43rd character carries 2 bits past the 32nd byte; Tencent ignores them and so does Convert.
        return Convert.FromBase64String(encodingAesKey + "=");
    }

    /// <summary>Encrypts <paramref name="message"/> for <paramref name="receiveId"/> with a fresh CSPRNG prefix; returns base64.</summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes, or a string holds a lone surrogate (not encodable as UTF-8).</exception>
    public static string Encrypt(ReadOnlySpan<byte> aesKey, string message, string receiveId)
    {
        Span<byte> randomPrefix = stackalloc byte[RandomPrefixSize];
        RandomNumberGenerator.Fill(randomPrefix);
        return Encrypt(aesKey, message, receiveId, randomPrefix);
    }

    /// <summary>Deterministic encryption for known-answer tests against Tencent's and the SDKs' published samples.</summary>
    internal static string Encrypt(ReadOnlySpan<byte> aesKey, string message, string receiveId, ReadOnlySpan<byte> randomPrefix)
    {
        RequireKey(aesKey);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(receiveId);
        if (randomPrefix.Length != RandomPrefixSize)
        {
            throw new ArgumentException($"The random prefix must be {RandomPrefixSize} bytes.", nameof(randomPrefix));
        }

        var messageLength = StrictUtf8.GetByteCount(message);
        var unpadded = checked(HeaderSize + messageLength + StrictUtf8.GetByteCount(receiveId));
        var pad = PadBlockSize - unpadded % PadBlockSize;
        var plaintext = new byte[checked(unpadded + pad)];

        randomPrefix.CopyTo(plaintext);
        BinaryPrimitives.WriteInt32BigEndian(plaintext.AsSpan(RandomPrefixSize), messageLength);
        StrictUtf8.GetBytes(message, plaintext.AsSpan(HeaderSize));
        StrictUtf8.GetBytes(receiveId, plaintext.AsSpan(HeaderSize + messageLength));
        plaintext.AsSpan(unpadded).Fill((byte)pad);

        using var aes = Aes.Create();
        aes.SetKey(aesKey);
        return Convert.ToBase64String(aes.EncryptCbc(plaintext, aesKey[..AesBlockSize], PaddingMode.None));
    }

    /// <summary>Decrypts a base64 Encrypt value or echostr.</summary>
    /// <exception cref="WeChatProtocolException">
    /// Not base64; not a whole number of AES blocks or shorter than one 32-byte block; a pad value outside 1..32
    /// or pad bytes that disagree; a length field that overruns the plaintext; text that is not valid UTF-8.
    /// </exception>
    /// <exception cref="ArgumentException">The key is not 32 bytes (configuration, not input).</exception>
    public static DecryptedMessage Decrypt(ReadOnlySpan<byte> aesKey, string base64)
    {
        RequireKey(aesKey);
        ArgumentNullException.ThrowIfNull(base64);

        byte[] ciphertext;
        try
        {
            ciphertext = Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw new WeChatProtocolException("The encrypted payload is not valid base64.", e);
        }

        if (ciphertext.Length % AesBlockSize != 0)
        {
            throw new WeChatProtocolException($"The encrypted payload is {ciphertext.Length} bytes, not a whole number of AES blocks.");
        }

        if (ciphertext.Length < PadBlockSize)
        {
            throw new WeChatProtocolException($"The encrypted payload is {ciphertext.Length} bytes, shorter than the smallest possible message.");
        }

        byte[] plaintext;
        try
        {
            using var aes = Aes.Create();
            aes.SetKey(aesKey);
            plaintext = aes.DecryptCbc(ciphertext, aesKey[..AesBlockSize], PaddingMode.None);
        }
        catch (CryptographicException e)
        {
            throw new WeChatProtocolException("The encrypted payload could not be decrypted.", e);
        }

        var content = Unpad(plaintext);
        if (content.Length < HeaderSize)
        {
            throw new WeChatProtocolException("The decrypted payload is too short to hold its header.");
        }

        var messageLength = BinaryPrimitives.ReadUInt32BigEndian(content.Slice(RandomPrefixSize, LengthFieldSize));
        if (messageLength > (uint)(content.Length - HeaderSize))
        {
            throw new WeChatProtocolException("The decrypted payload's length field runs past its end.");
        }

        try
        {
            var message = StrictUtf8.GetString(content.Slice(HeaderSize, (int)messageLength));
            var receiveId = StrictUtf8.GetString(content[(HeaderSize + (int)messageLength)..]);
            return new DecryptedMessage(message, receiveId);
        }
        catch (DecoderFallbackException e)
        {
            throw new WeChatProtocolException("The decrypted payload is not valid UTF-8.", e);
        }
    }

    /// <summary>
    /// Decrypts and requires the payload to be addressed to <paramref name="expectedReceiveId"/> (our AppID or
    /// CorpID), so a message encrypted for another account that shares the key is refused.
    /// </summary>
    /// <exception cref="WeChatProtocolException">Everything <see cref="Decrypt(ReadOnlySpan{byte}, string)"/> refuses, or another ReceiveId.</exception>
    public static DecryptedMessage Decrypt(ReadOnlySpan<byte> aesKey, string base64, string expectedReceiveId)
    {
        ArgumentNullException.ThrowIfNull(expectedReceiveId);
        var decrypted = Decrypt(aesKey, base64);
        if (!string.Equals(decrypted.ReceiveId, expectedReceiveId, StringComparison.Ordinal))
        {
            throw new WeChatProtocolException("The decrypted payload is addressed to a different AppID/CorpID.");
        }

        return decrypted;
    }

    private static ReadOnlySpan<byte> Unpad(byte[] plaintext)
    {
        int pad = plaintext[^1];
        if (pad is < 1 or > PadBlockSize)
        {
            throw new WeChatProtocolException($"The decrypted payload has pad value {pad}, outside 1..{PadBlockSize}.");
        }

        // Decrypt guarantees at least one 32-byte block, so every pad position exists.
        if (plaintext.AsSpan(plaintext.Length - pad).ContainsAnyExcept((byte)pad))
        {
            throw new WeChatProtocolException("The decrypted payload's pad bytes are inconsistent.");
        }

        return plaintext.AsSpan(0, plaintext.Length - pad);
    }

    private static void RequireKey(ReadOnlySpan<byte> aesKey)
    {
        if (aesKey.Length != KeySize)
        {
            throw new ArgumentException($"The AES key must be {KeySize} bytes (see {nameof(DecodeAesKey)}); got {aesKey.Length}.", nameof(aesKey));
        }
    }
}
