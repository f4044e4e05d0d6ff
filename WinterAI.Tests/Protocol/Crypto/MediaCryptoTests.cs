using System.Security.Cryptography;
using WinterAI.Domain.Protocol.Crypto;

namespace WinterAI.Tests.Protocol.Crypto;

/// <summary>The robot's file encryption: AES-256-CBC, IV = key[0..16], PKCS#7 to 32-byte blocks (as WeCom's SDK decrypts it).</summary>
public sealed class MediaCryptoTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(31)]
    [TestCase(32)]
    [TestCase(1000)]
    public void DecryptionUndoesEncryptionForEveryLength(int length)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var plain = RandomNumberGenerator.GetBytes(length);

        var cipher = MediaCrypto.Encrypt(key, plain);

        (cipher.Length % 32).ShouldBe(0);
        cipher.Length.ShouldBeGreaterThan(length);
        MediaCrypto.Decrypt(key, cipher).ShouldBe(plain);
    }

    [Test]
    public void TheIvIsTheKeysFirstSixteenBytes()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var plain = new byte[32];
        using var aes = Aes.Create();
        aes.Key = key;
        var expected = aes.EncryptCbc(plain.Concat(Enumerable.Repeat((byte)32, 32)).ToArray(), key[..16], PaddingMode.None);

        MediaCrypto.Encrypt(key, plain).ShouldBe(expected);
    }

    [Test]
    public void TheWrongKeyOrATruncatedFileIsRefused()
    {
        // Fixed keys: with random ones, one wrong key in a few hundred decrypts to a padding that looks right.
        var right = Enumerable.Repeat((byte)1, 32).ToArray();
        var wrong = Enumerable.Repeat((byte)2, 32).ToArray();
        var cipher = MediaCrypto.Encrypt(right, new byte[100]);

        Should.Throw<CryptographicException>(() => MediaCrypto.Decrypt(wrong, cipher));
        Should.Throw<CryptographicException>(() => MediaCrypto.Decrypt(right, cipher.AsSpan(0, 33)));
    }

    [TestCase("not base64!")]
    [TestCase("AAAA")]
    public void AKeyThatIsNotBase64OfThirtyTwoBytesIsRefused(string aesKey) =>
        Should.Throw<FormatException>(() => MediaCrypto.DecodeKey(aesKey));

    [Test]
    public void AKeyWithoutItsBase64PaddingIsAccepted()
    {
        var key = RandomNumberGenerator.GetBytes(32);

        MediaCrypto.DecodeKey(Convert.ToBase64String(key).TrimEnd('=')).ShouldBe(key);
    }
}
