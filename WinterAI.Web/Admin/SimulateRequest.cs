using System.ComponentModel.DataAnnotations;
using System.Xml.Linq;

namespace WinterAI.Web.Admin;

/// <summary>A message to run through the pipeline as if a follower had sent it.</summary>
/// <param name="OpenId">The follower to act as.</param>
/// <param name="Type"><c>text</c> (default), <c>voice</c> (with <paramref name="Recognition"/>) or <c>event</c>.</param>
/// <param name="Content">The text of a text message.</param>
/// <param name="Recognition">The speech-recognition text of a voice message; empty = recognition off.</param>
/// <param name="Event">For events: <c>subscribe</c>, <c>unsubscribe</c>, <c>CLICK</c>, <c>VIEW</c>, ...</param>
/// <param name="EventKey">For CLICK: the menu key; for VIEW: the URL.</param>
/// <param name="ToUserName">The account's original id (gh_…) as WeChat puts it in ToUserName; default: the AppID.</param>
public sealed record SimulateRequest(
    [Required, MinLength(1)] string OpenId,
    string Type = "text",
    string? Content = null,
    string? Recognition = null,
    string? Event = null,
    string? EventKey = null,
    string? ToUserName = null)
{
    /// <summary>The XML WeChat would push for this message (plaintext mode).</summary>
    public string ToXml(string defaultToUserName, DateTimeOffset now)
    {
        var xml = new XElement(
            "xml",
            new XElement("ToUserName", ToUserName ?? defaultToUserName),
            new XElement("FromUserName", OpenId),
            new XElement("CreateTime", now.ToUnixTimeSeconds()),
            new XElement("MsgType", Type));
        switch (Type)
        {
            case "event":
                xml.Add(new XElement("Event", Event ?? "subscribe"));
                if (EventKey is not null)
                {
                    xml.Add(new XElement("EventKey", EventKey));
                }

                return xml.ToString(SaveOptions.DisableFormatting);
            case "voice":
                xml.Add(new XElement("MediaId", "simulated"), new XElement("Format", "amr"));
                if (!string.IsNullOrEmpty(Recognition))
                {
                    xml.Add(new XElement("Recognition", Recognition));
                }

                break;
            default:
                xml.Add(new XElement("Content", Content ?? ""));
                break;
        }

        xml.Add(new XElement("MsgId", Random.Shared.NextInt64(1_000_000_000_000, long.MaxValue)));
        return xml.ToString(SaveOptions.DisableFormatting);
    }
}
