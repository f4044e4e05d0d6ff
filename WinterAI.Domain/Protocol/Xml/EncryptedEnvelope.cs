using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using WinterAI.Domain.Protocol.Callbacks;
using WinterAI.Domain.Protocol.Crypto;

namespace WinterAI.Domain.Protocol.Xml;

/// <summary>
/// The outer XML of an encrypted callback: <c>&lt;xml&gt;&lt;ToUserName/&gt;&lt;AgentID/&gt;&lt;Encrypt/&gt;&lt;/xml&gt;</c>
/// (official account safe mode and WeCom), and the encrypted reply we send back.
/// </summary>
/// <param name="Encrypt">The base64 ciphertext; msg_signature is computed over it.</param>
/// <param name="ToUserName">Our account (official account) or CorpID (WeCom), in clear; not authenticated.</param>
/// <param name="AgentId">WeCom only, in clear; not authenticated.</param>
public sealed record EncryptedEnvelope(string Encrypt, string? ToUserName, string? AgentId)
{
    private const string NonceDigits = "0123456789";

    /// <summary>
    /// Reads the envelope. In compatible mode the body also carries the message in plaintext; those elements
    /// are ignored here, because only the Encrypt value is covered by msg_signature.
    /// </summary>
    /// <exception cref="WeChatProtocolException">Malformed XML, a root other than <c>xml</c>, or no (or an empty) Encrypt element.</exception>
    public static EncryptedEnvelope Parse(string xml)
    {
        var root = SafeXml.Parse(xml).Root!;
        if (root.Name != "xml")
        {
            throw new WeChatProtocolException($"The root element is <{root.Name.LocalName}>, not <xml>.");
        }

        var encrypt = root.Element("Encrypt")?.Value;
        if (string.IsNullOrWhiteSpace(encrypt))
        {
            throw new WeChatProtocolException("The body has no <Encrypt> element.");
        }

        return new EncryptedEnvelope(encrypt, NullIfEmpty(root.Element("ToUserName")?.Value), NullIfEmpty(root.Element("AgentID")?.Value));
    }

    /// <summary>The encrypted reply body, from an already encrypted and signed payload.</summary>
    public static string WriteReply(string encrypt, string msgSignature, long timestamp, string nonce)
    {
        ArgumentNullException.ThrowIfNull(encrypt);
        ArgumentNullException.ThrowIfNull(msgSignature);
        ArgumentNullException.ThrowIfNull(nonce);
        return new StringBuilder("<xml>")
            .AppendCDataElement("Encrypt", encrypt)
            .AppendCDataElement("MsgSignature", msgSignature)
            .AppendNumberElement("TimeStamp", timestamp)
            .AppendCDataElement("Nonce", nonce)
            .Append("</xml>")
            .ToString();
    }

    /// <summary>
    /// Encrypts <paramref name="replyXml"/> (from <see cref="ReplyWriter"/>) for <paramref name="receiveId"/>,
    /// signs it with <paramref name="token"/> and wraps it: the complete body of a safe-mode reply.
    /// </summary>
    public static string EncryptReply(ReadOnlySpan<byte> aesKey, string token, string receiveId, string replyXml, long timestamp, string nonce)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(nonce);
        var encrypt = MessageCrypto.Encrypt(aesKey, replyXml, receiveId);
        var signature = WeChatSignature.Compute(token, timestamp.ToString(CultureInfo.InvariantCulture), nonce, encrypt);
        return WriteReply(encrypt, signature, timestamp, nonce);
    }

    /// <summary>
    /// A nonce for an encrypted reply: ten CSPRNG digits, the shape WeChat itself sends, so that nothing
    /// on Tencent's side that expects a number is surprised.
    /// </summary>
    public static string NewNonce() => RandomNumberGenerator.GetString(NonceDigits, 10);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
