using System.Security.Cryptography;

namespace WinterAI.Domain.Protocol.Crypto;

/// <summary>
/// Files the WeCom robot hands out (pictures, files behind the message's download URL): AES-256-CBC with
/// IV = key[0..16] and PKCS#7 padding to a 32-byte block, no header. The key is the message's <c>aeskey</c> (base64 of
/// 32 bytes) in long-connection mode, the robot's EncodingAESKey in webhook mode.
/// </summary>
public static class MediaCrypto
{
    private const int PadBlockSize = 32;

    /// <summary>The 32-byte key of a message's <c>aeskey</c>.</summary>
    /// <exception cref="FormatException">Not base64 of 32 bytes.</exception>
    public static byte[] DecodeKey(string aesKey)
    {
        var padded = aesKey.Trim();
        padded += new string('=', (4 - padded.Length % 4) % 4);
        var key = Convert.FromBase64String(padded);
        return key.Length == MessageCrypto.KeySize ? key : throw new FormatException($"A media aeskey must be 32 bytes; this one is {key.Length}.");
    }

    /// <exception cref="CryptographicException">Not a whole number of blocks, or the padding is wrong (the wrong key, a damaged file).</exception>
    public static byte[] Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> cipher)
    {
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        var plain = aes.DecryptCbc(cipher, key[..16], PaddingMode.None);
        var pad = plain.Length == 0 ? 0 : plain[^1];
        if (pad is < 1 or > PadBlockSize || pad > plain.Length || plain.AsSpan(plain.Length - pad).IndexOfAnyExcept((byte)pad) >= 0)
        {
            throw new CryptographicException("The media file's padding is wrong: the wrong key, or a damaged file.");
        }

        return plain[..^pad];
    }

    /// <summary>The inverse of <see cref="Decrypt"/>, for test stand-ins of WeCom.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plain)
    {
        var pad = PadBlockSize - plain.Length % PadBlockSize;
        var padded = new byte[plain.Length + pad];
        plain.CopyTo(padded);
        padded.AsSpan(plain.Length).Fill((byte)pad);
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        return aes.EncryptCbc(padded, key[..16], PaddingMode.None);
    }
}
