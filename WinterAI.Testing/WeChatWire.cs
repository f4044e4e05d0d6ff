using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace WinterAI.Testing;

/// <summary>
/// An independent implementation of the WeChat/WeCom callback protocol, written from PROTOCOL.md §1-2 for the
/// platform's side of the wire (the tests' and the bench's): it shares no code with WinterAI.Domain, so a bug there
/// cannot vouch for itself here.
/// </summary>
public static class WeChatWire
{
    public static string Sign(params string[] parts)
    {
        var sorted = parts.OrderBy(p => p, StringComparer.Ordinal);
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(sorted))));
    }

    public static string Encrypt(string encodingAesKey, string message, string receiveId, byte[]? random = null)
    {
        var key = Convert.FromBase64String(encodingAesKey + "=");
        random ??= RandomNumberGenerator.GetBytes(16);
        var body = Encoding.UTF8.GetBytes(message);
        var id = Encoding.UTF8.GetBytes(receiveId);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, body.Length);
        var plain = random.Concat(length).Concat(body).Concat(id).ToList();
        var pad = 32 - plain.Count % 32;
        plain.AddRange(Enumerable.Repeat((byte)pad, pad));
        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToBase64String(aes.EncryptCbc(plain.ToArray(), key[..16], PaddingMode.None));
    }

    public static (string Message, string ReceiveId) Decrypt(string encodingAesKey, string encrypt)
    {
        var key = Convert.FromBase64String(encodingAesKey + "=");
        using var aes = Aes.Create();
        aes.Key = key;
        var plain = aes.DecryptCbc(Convert.FromBase64String(encrypt), key[..16], PaddingMode.None);
        var pad = plain[^1];
        if (pad is < 1 or > 32)
        {
            throw new FormatException($"Bad padding byte {pad}.");
        }

        var unpadded = plain[..^pad];
        var length = BinaryPrimitives.ReadInt32BigEndian(unpadded.AsSpan(16, 4));
        return (Encoding.UTF8.GetString(unpadded, 20, length), Encoding.UTF8.GetString(unpadded, 20 + length, unpadded.Length - 20 - length));
    }

    public static string TextMessageXml(string from, string to, string content, long msgId, long createTime) =>
        $"<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[{from}]]></FromUserName><CreateTime>{createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content><MsgId>{msgId}</MsgId></xml>";

    public static string EventXml(string from, string to, string eventName, string? eventKey, long createTime) =>
        $"<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[{from}]]></FromUserName><CreateTime>{createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{eventName}]]></Event>" +
        (eventKey is null ? "" : $"<EventKey><![CDATA[{eventKey}]]></EventKey>") + "</xml>";

    public static string Element(string xml, string name) => XElement.Parse(xml).Element(name)?.Value ?? "";
}
