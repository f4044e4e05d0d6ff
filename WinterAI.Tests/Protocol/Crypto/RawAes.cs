using System.Security.Cryptography;

namespace WinterAI.Tests.Protocol.Crypto;

/// <summary>
/// Tencent's cipher without any of the framing, so tests can look inside real ciphertexts and build
/// malformed ones that <see cref="WinterAI.Domain.Protocol.Crypto.MessageCrypto"/> must refuse.
/// </summary>
internal static class RawAes
{
    public static byte[] Decrypt(byte[] key, string base64)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        return aes.DecryptCbc(Convert.FromBase64String(base64), key[..16], PaddingMode.None);
    }

    public static string Encrypt(byte[] key, byte[] paddedPlaintext)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToBase64String(aes.EncryptCbc(paddedPlaintext, key[..16], PaddingMode.None));
    }
}
