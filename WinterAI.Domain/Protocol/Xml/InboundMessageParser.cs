using System.Globalization;
using System.Xml.Linq;
using WinterAI.Domain.Protocol.Callbacks;
using WinterAI.Domain.Protocol.Messages;

namespace WinterAI.Domain.Protocol.Xml;

/// <summary>
/// Turns a plaintext callback body (or a decrypted Encrypt value) into an <see cref="InboundMessage"/>.
/// </summary>
/// <remarks>
/// <para>Required: <c>ToUserName</c>, <c>FromUserName</c>, <c>CreateTime</c> (an integer) and <c>MsgType</c>,
/// plus <c>Event</c> when MsgType is <c>event</c>. Anything wrong with them is a <see cref="WeChatProtocolException"/>.</para>
/// <para>Everything else is optional and never fails the parse: a missing text field becomes <c>""</c> (or
/// <c>null</c> where the record allows it; an empty element counts as missing there), a missing or unparsable
/// number becomes 0. The raw text is always still in <see cref="InboundMessage.Elements"/>. One odd field from
/// Tencent should degrade one feature, not make the follower see "该公众号暂时无法提供服务".</para>
/// <para>MsgType and Event are matched case-insensitively because WeCom sends <c>click</c> and <c>view</c> where
/// the official account sends <c>CLICK</c> and <c>VIEW</c>; the event records carry the canonical name.</para>
/// <para><see cref="InboundMessage.Elements"/> holds each top-level element once (the first, should one repeat):
/// text for a leaf element, inner XML for one with children (WeCom's <c>ScanCodeInfo</c>, <c>SendPicsInfo</c>…),
/// which can be parsed again with <see cref="SafeXml"/>.</para>
/// </remarks>
public static class InboundMessageParser
{
    /// <exception cref="WeChatProtocolException">Malformed or disallowed XML, a root other than <c>xml</c>, or a bad required field.</exception>
    public static InboundMessage Parse(string xml)
    {
        var root = SafeXml.Parse(xml).Root!;
        if (root.Name != "xml")
        {
            throw new WeChatProtocolException($"The root element is <{root.Name.LocalName}>, not <xml>.");
        }

        var fields = new Fields(ReadElements(root));
        var header = new Header(
            fields.Required("ToUserName"),
            fields.Required("FromUserName"),
            ParseCreateTime(fields.Required("CreateTime")),
            fields.Required("MsgType"));

        var message = Create(header, fields);
        return message with
        {
            MsgId = fields.OptionalOrNull("MsgId"),
            AgentId = fields.OptionalOrNull("AgentID"),
            Elements = fields.All,
        };
    }

    private static InboundMessage Create(Header h, Fields f) => h.MsgType.Trim().ToLowerInvariant() switch
    {
        "text" => new TextMessage(f.Text("Content"))
        { ToUserName = h.To, FromUserName = h.From, CreateTime = h.CreateTime, MsgType = h.MsgType },
        "image" => new ImageMessage(f.Text("PicUrl"), f.Text("MediaId"))
        { ToUserName = h.To, FromUserName = h.From, CreateTime = h.CreateTime, MsgType = h.MsgType },
        "voice" => new VoiceMessage(f.Text("MediaId"), f.Text("Format"), f.OptionalOrNull("Recognition"))
        { ToUserName = h.To, FromUserName = h.From, CreateTime = h.CreateTime, MsgType = h.MsgType },
        "video" or "shortvideo" => new VideoMessage(f.Text("MediaId"), f.Text("ThumbMediaId"))
        { ToUserName = h.To, FromUserName = h.From, CreateTime = h.CreateTime, MsgType = h.MsgType },
        "location" => new LocationMessage(f.Double("Location_X"), f.Double("Location_Y"), f.Int("Scale"), f.Text("Label"))
        { ToUserName = h.To, FromUserName = h.From, CreateTime = h.CreateTime, MsgType = h.MsgType },
        "link" => new LinkMessage(f.Text("Title"), f.Text("Description"), f.Text("Url"))
        { ToUserName = h.To, FromUserName = h.From, CreateTime = h.CreateTime, MsgType = h.MsgType },
        "event" => CreateEvent(h, f, f.Required("Event")),
        _ => new UnknownMessage
        { ToUserName = h.To, FromUserName = h.From, CreateTime = h.CreateTime, MsgType = h.MsgType },
    };

    private static EventMessage CreateEvent(Header h, Fields f, string name) => name.Trim().ToLowerInvariant() switch
    {
        "subscribe" => new SubscribeEvent(f.OptionalOrNull("EventKey"), f.OptionalOrNull("Ticket"))
        { ToUserName = h.To, FromUserName = h.From, CreateTime = h.CreateTime, MsgType = h.MsgType },
        "unsubscribe" => new UnsubscribeEvent
        { ToUserName = h.To, FromUserName = h.From, CreateTime = h.CreateTime, MsgType = h.MsgType },
        "scan" => new ScanEvent(f.Text("EventKey"), f.OptionalOrNull("Ticket"))
        { ToUserName = h.To, FromUserName = h.From, CreateTime = h.CreateTime, MsgType = h.MsgType },
        "location" => new LocationEvent(f.Double("Latitude"), f.Double("Longitude"), f.Double("Precision"))
        { ToUserName = h.To, FromUserName = h.From, CreateTime = h.CreateTime, MsgType = h.MsgType },
        "click" => new ClickEvent(f.Text("EventKey"))
        { ToUserName = h.To, FromUserName = h.From, CreateTime = h.CreateTime, MsgType = h.MsgType },
        "view" => new ViewEvent(f.Text("EventKey"), f.OptionalOrNull("MenuId"))
        { ToUserName = h.To, FromUserName = h.From, CreateTime = h.CreateTime, MsgType = h.MsgType },
        "enter_agent" => new EnterAgentEvent
        { ToUserName = h.To, FromUserName = h.From, CreateTime = h.CreateTime, MsgType = h.MsgType },
        _ => new UnknownEvent(name)
        { ToUserName = h.To, FromUserName = h.From, CreateTime = h.CreateTime, MsgType = h.MsgType },
    };

    private static long ParseCreateTime(string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw new WeChatProtocolException("CreateTime is not an integer.");

    private static Dictionary<string, string> ReadElements(XElement root)
    {
        var elements = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var element in root.Elements())
        {
            var value = element.HasElements
                ? string.Concat(element.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting)))
                : element.Value;
            elements.TryAdd(element.Name.LocalName, value);
        }

        return elements;
    }

    private readonly record struct Header(string To, string From, long CreateTime, string MsgType);

    private sealed class Fields(Dictionary<string, string> all)
    {
        public IReadOnlyDictionary<string, string> All => all;

        public string Required(string name) =>
            all.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value)
                ? value
                : throw new WeChatProtocolException($"The required element <{name}> is missing or empty.");

        public string Text(string name) => all.GetValueOrDefault(name, "");

        public string? OptionalOrNull(string name) =>
            all.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

        public double Double(string name) =>
            double.TryParse(Text(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                ? number
                : 0;

        public int Int(string name) =>
            int.TryParse(Text(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : 0;
    }
}
