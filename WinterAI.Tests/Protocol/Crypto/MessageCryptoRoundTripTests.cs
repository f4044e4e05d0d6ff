using System.Security.Cryptography;
using System.Text;
using WinterAI.Domain.Protocol.Crypto;

namespace WinterAI.Tests.Protocol.Crypto;

public class MessageCryptoRoundTripTests
{
    private const string AppId = "wx49f0ab532d5d035a";

    [Test]
    public void DecryptUndoesEncryptForRandomKeysAndRandomMultilingualPayloads()
    {
        var seed = RandomNumberGenerator.GetInt32(int.MaxValue);
        var random = new Random(seed);
        for (var i = 0; i < 400; i++)
        {
            var key = RandomNumberGenerator.GetBytes(32);
            var payload = RandomText(random, maxUtf8Bytes: 10 * 1024);
            var receiveId = RandomText(random, maxUtf8Bytes: 40);

            var decrypted = MessageCrypto.Decrypt(key, MessageCrypto.Encrypt(key, payload, receiveId));

            decrypted.ShouldBe(
                new DecryptedMessage(payload, receiveId),
                $"iteration {i}, payload seed {seed}, key {Convert.ToHexString(key)}, {Encoding.UTF8.GetByteCount(payload)} bytes");
        }
    }

    [Test]
    public void EveryPayloadLengthPadsToAWholeThirtyTwoByteBlockWithAtLeastOnePadByte()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        for (var length = 0; length <= 100; length++)
        {
            var message = new string('x', length);
            var unpadded = 16 + 4 + length + AppId.Length;

            var ciphertext = Convert.FromBase64String(MessageCrypto.Encrypt(key, message, AppId));

            ciphertext.Length.ShouldBe((unpadded / 32 + 1) * 32, $"message length {length}");
            MessageCrypto.Decrypt(key, Convert.ToBase64String(ciphertext)).Message.ShouldBe(message);
        }
    }

    [TestCase(26)]
    [TestCase(58)]
    [TestCase(90)]
    [TestCase(1018)]
    public void AnAlignedPlaintextGetsAFullBlockOfThirtyTwoPadBytes(int asciiLength) =>
        AssertFullPadBlock(new string('a', asciiLength));

    [Test]
    public void AnAlignedMultibytePlaintextGetsAFullBlockOfThirtyTwoPadBytes() =>
        AssertFullPadBlock(new string('中', 30));

    [Test]
    public void AnAlignedPlaintextOfEmojiGetsAFullBlockOfThirtyTwoPadBytes() =>
        AssertFullPadBlock(string.Concat(Enumerable.Repeat("😀", 6)) + "xx");

    [Test]
    public void AnEmptyMessageRoundTrips()
    {
        var key = RandomNumberGenerator.GetBytes(32);

        MessageCrypto.Decrypt(key, MessageCrypto.Encrypt(key, "", AppId)).ShouldBe(new DecryptedMessage("", AppId));
    }

    private static void AssertFullPadBlock(string message)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        ((16 + 4 + Encoding.UTF8.GetByteCount(message) + AppId.Length) % 32).ShouldBe(0, "the test payload itself must align to 32 bytes");

        var encrypt = MessageCrypto.Encrypt(key, message, AppId);

        RawAes.Decrypt(key, encrypt)[^32..].ShouldAllBe(b => b == 32);
        MessageCrypto.Decrypt(key, encrypt).Message.ShouldBe(message);
    }

    /// <summary>ASCII, XML specials, CJK, emoji (surrogate pairs) and newlines, up to a UTF-8 size.</summary>
    private static string RandomText(Random random, int maxUtf8Bytes)
    {
        var target = random.Next(maxUtf8Bytes + 1);
        var text = new StringBuilder();
        var bytes = 0;
        while (true)
        {
            var piece = random.Next(6) switch
            {
                0 => ((char)random.Next(0x20, 0x7F)).ToString(),
                1 => ((char)random.Next(0x4E00, 0xA000)).ToString(),
                2 => char.ConvertFromUtf32(random.Next(0x1F300, 0x1FAFF)),
                3 => "\n",
                4 => "]]><&\"'",
                _ => "é你好",
            };
            var size = Encoding.UTF8.GetByteCount(piece);
            if (bytes + size > target)
            {
                return text.ToString();
            }

            text.Append(piece);
            bytes += size;
        }
    }
}
