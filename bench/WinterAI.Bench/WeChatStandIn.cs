using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace WinterAI.Bench;

/// <summary>
/// WeChat at real timings: each message is delivered up to three times, each delivery abandoned after 5 s (the
/// request is cancelled, so WinterAI sees the connection drop) and the next one sent at once. A 200 response
/// ends the message, whatever it says. Safe mode: messages go out encrypted and replies must carry a valid
/// msg_signature and our AppID, as WeChat checks them. Delivery <c>k</c> of a message goes to instance
/// <c>(first + k - 1) mod n</c>, so behind two instances every retry lands on the other one.
/// </summary>
public sealed class WeChatStandIn(HttpClient http, IReadOnlyList<string> instances, WeChatAccount account)
{
    public const int Deliveries = 3;

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <summary>Signs and encrypts each delivery and checks each reply, as the tests' WeChat does.</summary>
    private readonly FakeWeChat signer = new(http, account);

    private long nextMsgId = 24_000_000_000_000_000 + Random.Shared.NextInt64(1_000_000_000_000);

    public int InstanceCount => instances.Count;

    /// <summary>Sends one text message as <paramref name="openId"/>; returns every delivery made.</summary>
    public async Task<IReadOnlyList<Delivery>> SendTextAsync(string openId, string content, int firstInstance, CancellationToken ct)
    {
        var msgId = Interlocked.Increment(ref nextMsgId);
        var xml = WeChatWire.TextMessageXml(openId, account.OriginalId, content, msgId, FakeWeChat.Now());
        var deliveries = new List<Delivery>(Deliveries);
        for (var attempt = 1; attempt <= Deliveries; attempt++)
        {
            var delivery = await PostOnceAsync(xml, openId, msgId, attempt, (firstInstance + attempt - 1) % instances.Count, ct);
            deliveries.Add(delivery);
            if (delivery is { TimedOut: false, Status: 200 })
            {
                break;
            }
        }

        return deliveries;
    }

    private async Task<Delivery> PostOnceAsync(string xml, string openId, long msgId, int attempt, int instance, CancellationToken ct)
    {
        using var request = signer.BuildRequest(xml);
        request.RequestUri = new Uri(new Uri(instances[instance]), request.RequestUri!);

        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(Patience);
        var sentAt = BenchClock.NowMs;
        try
        {
            using var response = await http.SendAsync(request, patience.Token);
            var text = await response.Content.ReadAsStringAsync(patience.Token);
            var respondedAt = BenchClock.NowMs;
            var status = (int)response.StatusCode;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new Delivery(msgId, attempt, instance, sentAt, respondedAt, status, false, text, null, $"HTTP {status}");
            }

            if (text.Length == 0 || text == "success")
            {
                return new Delivery(msgId, attempt, instance, sentAt, respondedAt, status, false, text, null, null);
            }

            try
            {
                return new Delivery(msgId, attempt, instance, sentAt, respondedAt, status, false, text, ReadReply(text, openId), null);
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException or System.Xml.XmlException or CryptographicException or ArgumentException)
            {
                return new Delivery(msgId, attempt, instance, sentAt, respondedAt, status, false, text, null, $"unusable reply: {ex.Message}");
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Delivery(msgId, attempt, instance, sentAt, null, null, true, null, null, null);
        }
        catch (HttpRequestException ex)
        {
            return new Delivery(msgId, attempt, instance, sentAt, BenchClock.NowMs, null, false, null, null, $"transport: {ex.Message}");
        }
    }

    /// <summary>The reply's text, checked as WeChat checks it; anything WeChat would refuse throws.</summary>
    private string ReadReply(string body, string openId)
    {
        var xml = signer.OpenReply(body);
        if (WeChatWire.Element(xml, "ToUserName") != openId || WeChatWire.Element(xml, "FromUserName") != account.OriginalId)
        {
            throw new FormatException("addressed to someone else");
        }

        if (WeChatWire.Element(xml, "MsgType") != "text")
        {
            throw new FormatException($"MsgType {WeChatWire.Element(xml, "MsgType")}");
        }

        var content = WeChatWire.Element(xml, "Content");
        if (Encoding.UTF8.GetByteCount(content) > 2048)
        {
            throw new FormatException("text over 2048 bytes: WeChat would show nothing");
        }

        return content;
    }
}
