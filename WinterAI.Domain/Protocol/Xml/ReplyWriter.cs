using System.Text;
using WinterAI.Domain.Protocol.Messages;

namespace WinterAI.Domain.Protocol.Xml;

/// <summary>
/// Writes a passive text or image reply in the exact layout of WeChat's documentation (compact, strings in CDATA).
/// </summary>
/// <remarks>
/// Any string is safe to pass: characters XML 1.0 cannot carry are dropped, CRLF becomes LF and <c>]]&gt;</c>
/// is split across CDATA sections, so the output always parses. WeChat answers a malformed reply by
/// telling the follower the account is broken, so a stray control character in an LLM answer must not get through.
/// </remarks>
public static class ReplyWriter
{
    public static string Write(TextReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return new StringBuilder("<xml>")
            .AppendCDataElement("ToUserName", reply.ToUserName)
            .AppendCDataElement("FromUserName", reply.FromUserName)
            .AppendNumberElement("CreateTime", reply.CreateTime)
            .AppendCDataElement("MsgType", "text")
            .AppendCDataElement("Content", reply.Content)
            .Append("</xml>")
            .ToString();
    }

    /// <summary>A picture uploaded as temporary media: <c>&lt;MsgType&gt;image&lt;/MsgType&gt;&lt;Image&gt;&lt;MediaId&gt;…</c>.</summary>
    public static string Write(ImageReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return WriteMedia(reply, "image", "Image", reply.MediaId);
    }

    /// <summary>An answer read out: <c>&lt;MsgType&gt;voice&lt;/MsgType&gt;&lt;Voice&gt;&lt;MediaId&gt;…</c>.</summary>
    public static string Write(VoiceReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return WriteMedia(reply, "voice", "Voice", reply.MediaId);
    }

    /// <summary>A reply that carries temporary media: the envelope, then <c>&lt;{element}&gt;&lt;MediaId&gt;</c>.</summary>
    private static string WriteMedia(Reply reply, string msgType, string element, string mediaId) =>
        new StringBuilder("<xml>")
            .AppendCDataElement("ToUserName", reply.ToUserName)
            .AppendCDataElement("FromUserName", reply.FromUserName)
            .AppendNumberElement("CreateTime", reply.CreateTime)
            .AppendCDataElement("MsgType", msgType)
            .Append('<').Append(element).Append('>')
            .AppendCDataElement("MediaId", mediaId)
            .Append("</").Append(element).Append('>')
            .Append("</xml>")
            .ToString();
}
