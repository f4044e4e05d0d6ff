using System.Text;
using System.Xml.Linq;

namespace WinterAI.Testing;

/// <summary>
/// Plays WeCom's side of the callback: builds each message as WeCom does (with AgentID), encrypts it for the CorpID
/// and signs it with <see cref="WeChatWire"/>, and posts it to <c>/wecom</c>.
/// </summary>
public sealed class FakeWeCom(HttpClient client, WeComApp app)
{
    private static long nextMsgId = 8_000_000_000_000_000_000;

    public static long NewMsgId() => Interlocked.Increment(ref nextMsgId);

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public Task<WeComCallback> SendTextAsync(string userId, string content, long? msgId = null) =>
        PostAsync(TextXml(userId, content, msgId ?? NewMsgId()));

    public Task<WeComCallback> SendEventAsync(string userId, string eventName, string? eventKey = null, long? createTime = null) =>
        PostAsync(EventXml(userId, eventName, eventKey, createTime ?? Now()));

    public string TextXml(string userId, string content, long msgId, string? agentId = null) =>
        $"<xml><ToUserName><![CDATA[{app.CorpId}]]></ToUserName><FromUserName><![CDATA[{userId}]]></FromUserName><CreateTime>{Now()}</CreateTime>" +
        $"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content><MsgId>{msgId}</MsgId><AgentID>{agentId ?? app.AgentId}</AgentID></xml>";

    public string EventXml(string userId, string eventName, string? eventKey, long createTime) =>
        $"<xml><ToUserName><![CDATA[{app.CorpId}]]></ToUserName><FromUserName><![CDATA[{userId}]]></FromUserName><CreateTime>{createTime}</CreateTime>" +
        $"<MsgType><![CDATA[event]]></MsgType><AgentID>{app.AgentId}</AgentID><Event><![CDATA[{eventName}]]></Event>" +
        (eventKey is null ? "" : $"<EventKey><![CDATA[{eventKey}]]></EventKey>") + "</xml>";

    public string MessageXml(string userId, string msgType, string elements, long msgId) =>
        $"<xml><ToUserName><![CDATA[{app.CorpId}]]></ToUserName><FromUserName><![CDATA[{userId}]]></FromUserName><CreateTime>{Now()}</CreateTime>" +
        $"<MsgType><![CDATA[{msgType}]]></MsgType>{elements}<MsgId>{msgId}</MsgId><AgentID>{app.AgentId}</AgentID></xml>";

    public async Task<WeComCallback> PostAsync(string xml, long? timestamp = null, string? encryptFor = null)
    {
        using var request = BuildRequest(xml, timestamp, encryptFor);
        return await SendAsync(request);
    }

    public async Task<WeComCallback> SendAsync(HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        return new WeComCallback(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The POST WeCom would make; <paramref name="encryptFor"/> overrides the CorpID the message is encrypted for.</summary>
    public HttpRequestMessage BuildRequest(string xml, long? timestamp = null, string? encryptFor = null)
    {
        var ts = (timestamp ?? Now()).ToString();
        var nonce = Random.Shared.NextInt64(100_000_000, 9_999_999_999).ToString();
        var encrypt = WeChatWire.Encrypt(app.EncodingAesKey, xml, encryptFor ?? app.CorpId);
        var signature = WeChatWire.Sign(app.Token, ts, nonce, encrypt);
        var envelope = new XElement("xml",
            new XElement("ToUserName", new XCData(app.CorpId)),
            new XElement("Encrypt", new XCData(encrypt)),
            new XElement("AgentID", new XCData(app.AgentId)));
        return new HttpRequestMessage(HttpMethod.Post, $"/wecom?msg_signature={signature}&timestamp={ts}&nonce={nonce}")
        {
            Content = new StringContent(envelope.ToString(SaveOptions.DisableFormatting), Encoding.UTF8, "text/xml"),
        };
    }

    /// <summary>The URL verification WeCom makes when the callback URL is saved: an encrypted random echostr.</summary>
    public string VerificationUrl(string echo, long? timestamp = null, string? encryptFor = null)
    {
        var ts = (timestamp ?? Now()).ToString();
        const string nonce = "1372623149";
        var echostr = WeChatWire.Encrypt(app.EncodingAesKey, echo, encryptFor ?? app.CorpId);
        return $"/wecom?msg_signature={WeChatWire.Sign(app.Token, ts, nonce, echostr)}&timestamp={ts}&nonce={nonce}&echostr={Uri.EscapeDataString(echostr)}";
    }
}
