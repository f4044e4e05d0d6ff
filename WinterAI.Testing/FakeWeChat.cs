using System.Net;
using System.Text;
using System.Xml.Linq;

namespace WinterAI.Testing;

/// <summary>
/// Plays WeChat's side of the callback: signs (and in compatible/safe mode encrypts) each message with
/// <see cref="WeChatWire"/>, delivers it up to <see cref="Deliveries"/> times, abandoning each delivery after
/// <see cref="Timeout"/> as WeChat does, and checks and decrypts the reply.
/// </summary>
public sealed class FakeWeChat(HttpClient client, WeChatAccount account, WeChatMode mode = WeChatMode.Safe)
{
    private static long nextMsgId = 7_000_000_000_000_000_000;

    public int Deliveries { get; init; } = 3;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    public string Path { get; init; } = "/wechat";

    /// <summary>Called before each delivery with its number (1-based): lets a scenario release Dify at an exact point.</summary>
    public Func<int, Task>? BeforeDelivery { get; init; }

    /// <summary>Which client carries delivery N (1-based): lets deliveries alternate between instances.</summary>
    public Func<int, HttpClient>? ClientFor { get; init; }

    public static long NewMsgId() => Interlocked.Increment(ref nextMsgId);

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public Task<IReadOnlyList<WeChatDelivery>> SendTextAsync(string openId, string content, long? msgId = null) =>
        DeliverAsync(WeChatWire.TextMessageXml(openId, account.OriginalId, content, msgId ?? NewMsgId(), Now()));

    /// <summary>
    /// Delivers until WeChat would stop: a reply that arrived in time (anything but a timeout or a non-200) ends it.
    /// Returns every delivery made.
    /// </summary>
    public async Task<IReadOnlyList<WeChatDelivery>> DeliverAsync(string xml)
    {
        var deliveries = new List<WeChatDelivery>();
        for (var attempt = 1; attempt <= Deliveries; attempt++)
        {
            if (BeforeDelivery is not null)
            {
                await BeforeDelivery(attempt);
            }

            var delivery = await PostOnceAsync(xml, attempt);
            deliveries.Add(delivery);
            if (!delivery.TimedOut && delivery.Status == HttpStatusCode.OK)
            {
                break;
            }
        }

        return deliveries;
    }

    /// <summary>The reply that reached the follower: the last delivery's, when it was not a timeout.</summary>
    public static string? Shown(IReadOnlyList<WeChatDelivery> deliveries) => deliveries[^1] is { TimedOut: false } last ? last.Content : null;

    public async Task<WeChatDelivery> PostOnceAsync(string xml, int attempt = 1, TimeSpan? timeout = null)
    {
        using var request = BuildRequest(xml);
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        try
        {
            using var response = await (ClientFor?.Invoke(attempt) ?? client).SendAsync(request, cts.Token);
            var body = await response.Content.ReadAsStringAsync(cts.Token);
            return new WeChatDelivery(attempt, response.StatusCode, body, ReadReply(response.StatusCode, body), false);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return new WeChatDelivery(attempt, null, "", null, true);
        }
    }

    public HttpRequestMessage BuildRequest(string xml, long? timestamp = null)
    {
        var ts = (timestamp ?? Now()).ToString();
        var nonce = Random.Shared.NextInt64(100_000_000, 9_999_999_999).ToString();
        var signature = WeChatWire.Sign(account.Token, ts, nonce);
        var openId = WeChatWire.Element(xml, "FromUserName");
        var url = $"{Path}?signature={signature}&timestamp={ts}&nonce={nonce}&openid={Uri.EscapeDataString(openId)}";
        string body;
        if (mode == WeChatMode.Plaintext)
        {
            body = xml;
        }
        else
        {
            var encrypt = WeChatWire.Encrypt(account.EncodingAesKey, xml, account.AppId);
            url += $"&encrypt_type=aes&msg_signature={WeChatWire.Sign(account.Token, ts, nonce, encrypt)}";
            var envelope = mode == WeChatMode.Compatible ? XElement.Parse(xml) : new XElement("xml", new XElement("ToUserName", account.OriginalId));
            envelope.Add(new XElement("Encrypt", encrypt));
            body = envelope.ToString(SaveOptions.DisableFormatting);
        }

        return new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "text/xml") };
    }

    /// <summary>The reply XML, checked like WeChat checks it; null for a non-200, an empty body or "success".</summary>
    private string? ReadReply(HttpStatusCode status, string body) =>
        status != HttpStatusCode.OK || body.Length == 0 || body == "success" ? null : OpenReply(body);

    /// <summary>
    /// A reply's XML as WeChat reads it: in compatible and safe mode its msg_signature must hold and it must be
    /// encrypted for our AppID. Throws <see cref="FormatException"/> for what WeChat would refuse.
    /// </summary>
    public string OpenReply(string body)
    {
        if (mode == WeChatMode.Plaintext)
        {
            return body;
        }

        var envelope = XElement.Parse(body);
        var encrypt = envelope.Element("Encrypt")?.Value ?? throw new FormatException("The reply has no <Encrypt>.");
        var expected = WeChatWire.Sign(account.Token, envelope.Element("TimeStamp")?.Value ?? "", envelope.Element("Nonce")?.Value ?? "", encrypt);
        if (envelope.Element("MsgSignature")?.Value != expected)
        {
            throw new FormatException("The reply's MsgSignature does not verify.");
        }

        var (message, appId) = WeChatWire.Decrypt(account.EncodingAesKey, encrypt);
        if (appId != account.AppId)
        {
            throw new FormatException($"The reply was encrypted for {appId}, not {account.AppId}.");
        }

        return message;
    }
}
