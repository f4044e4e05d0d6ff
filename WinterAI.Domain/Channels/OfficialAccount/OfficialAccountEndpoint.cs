using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Protocol.Callbacks;
using WinterAI.Domain.Protocol.Crypto;
using WinterAI.Domain.Protocol.Messages;
using WinterAI.Domain.Protocol.Xml;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.OfficialAccount;

/// <summary>
/// The official account's server URL: authenticates every callback before anything else (the query before the body
/// is read, the body against replays, the ciphertext by msg_signature), accepts only the configured
/// <see cref="WeChatOptions.Mode"/>, decrypts safe and compatible mode, hands the message to the conversation and
/// renders the reply (encrypted with the key that decrypted the request).
/// </summary>
public sealed class OfficialAccountEndpoint(
    IOptionsMonitor<WeChatOptions> options,
    ConversationService conversation,
    CallbackReplays replays,
    IOptionsMonitor<MessagesOptions> messages,
    WeChatApiClient api,
    AnswerPictures pictures,
    TimeProvider time,
    ILogger<OfficialAccountEndpoint> log)
{
    /// <summary>Time a picture's upload gets even when the reply window is spent (a <c>1</c> is answered at once otherwise).</summary>
    private static readonly TimeSpan MinimumUploadTime = TimeSpan.FromSeconds(1);

    public bool IsEnabled => options.CurrentValue.IsEnabled;

    /// <summary>GET: the platform checks the server URL; echo <c>echostr</c> when the signature holds.</summary>
    public CallbackResult Verify(CallbackQuery query)
    {
        if (!IsEnabled)
        {
            return CallbackResult.NotFound();
        }

        return Authenticate(query) is { } refused ? refused : CallbackResult.Text(query.EchoStr ?? "");
    }

    /// <summary>
    /// POST, before its body is read: the channel is on, the timestamp is fresh, <c>signature</c> holds and the
    /// query is in the configured mode. Null when the body may be read; otherwise the refusal.
    /// </summary>
    public CallbackResult? Admit(CallbackQuery query)
    {
        if (!IsEnabled)
        {
            return CallbackResult.NotFound();
        }

        if (Authenticate(query) is { } refused)
        {
            return refused;
        }

        var encrypted = string.Equals(query.EncryptType, "aes", StringComparison.OrdinalIgnoreCase);
        var plain = string.IsNullOrEmpty(query.EncryptType) || string.Equals(query.EncryptType, "raw", StringComparison.OrdinalIgnoreCase);
        switch (options.CurrentValue.CallbackMode)
        {
            case WeChatCallbackMode.Encrypted when !encrypted || query.MsgSignature is not { Length: 40 }:
                log.LogWarning("Refused a callback that is not encrypted: WeChat:Mode is encrypted (encrypt_type=aes and msg_signature are required).");
                return CallbackResult.Unauthorized("This account accepts only encrypted callbacks.");
            case WeChatCallbackMode.Plain when !plain:
                log.LogWarning("Refused an encrypted callback: WeChat:Mode is plain.");
                return CallbackResult.Unauthorized("This account accepts only plaintext callbacks.");
            default:
                return null;
        }
    }

    /// <summary>POST: a message or event. <paramref name="aborted"/> fires when WeChat gives up on this delivery.</summary>
    public async Task<CallbackResult> ReceiveAsync(CallbackQuery query, string body, DateTimeOffset arrivedAt, CancellationToken aborted)
    {
        if (Admit(query) is { } refused)
        {
            return refused;
        }

        var o = options.CurrentValue;
        var encrypted = o.CallbackMode == WeChatCallbackMode.Encrypted;
        byte[]? replyKey = null;
        string plaintext;
        try
        {
            if (encrypted)
            {
                // Compatible mode also carries the message in the clear; only the authenticated ciphertext counts.
                var opened = CallbackGuard.Open(new CallbackSecrets(o.Token, o.AppId, o.EncodingAESKey, o.PreviousEncodingAESKey), query, EncryptedEnvelope.Parse(body).Encrypt);
                switch (opened.Verdict)
                {
                    case CallbackVerdict.BadSignature:
                        log.LogWarning("Refused an encrypted callback: msg_signature does not match.");
                        return CallbackResult.Unauthorized("msg_signature does not match.");
                    case CallbackVerdict.OtherReceiver:
                        log.LogWarning("Refused a callback encrypted for another AppID.");
                        return CallbackResult.Unauthorized("The message is not for this account.");
                }

                (plaintext, replyKey) = (opened.Plaintext, opened.Key);
            }
            else
            {
                plaintext = body;
            }

            var message = InboundMessageParser.Parse(plaintext);

            // Checked only once the body is known good, so a garbage body posted under a signed query cannot spoil WeChat's own delivery of it.
            switch (await ReplayCheckAsync(query, body, o, aborted))
            {
                case Replay.Refused:
                    log.LogWarning("Refused a replayed callback: its signed query was already accepted with another body.");
                    return CallbackResult.Unauthorized("This signed query was already used.");
                case Replay.Unknown when !encrypted:
                    log.LogWarning("Store unavailable: a plaintext callback cannot be checked for replay, answering with the busy text.");
                    return Render(DeliveryReply.Say(messages.CurrentValue.StoreUnavailable), message, replyKey);
            }

            var reply = await conversation.HandleAsync(message.ToInbound(), new Follower(o.AccountId, message.FromUserName), arrivedAt, aborted);
            if (reply.Kind == DeliveryReplyKind.Hold)
            {
                // Say nothing until WeChat gives up on this delivery (it then delivers again); the limit only matters behind proxies.
                await Task.Delay(o.HoldLimit, time, aborted);
                return CallbackResult.Empty;
            }

            return Render(await PictureAsync(reply, arrivedAt, aborted), message, replyKey);
        }
        catch (WeChatProtocolException ex)
        {
            log.LogWarning("Refused a malformed callback: {Reason}", ex.Message);
            return CallbackResult.Malformed;
        }
    }

    private async Task<Replay> ReplayCheckAsync(CallbackQuery query, string body, WeChatOptions o, CancellationToken ct)
    {
        try
        {
            return await replays.AcceptAsync(o.AccountId, query.Timestamp!, query.Nonce!, query.Signature!, body, o.MaxClockSkew, ct)
                ? Replay.Accepted
                : Replay.Refused;
        }
        catch (StoreUnavailableException)
        {
            // msg_signature binds an encrypted body to its query, so only a plaintext callback needs the store to rule out a replay.
            return Replay.Unknown;
        }
    }

    private CallbackResult? Authenticate(CallbackQuery query)
    {
        var o = options.CurrentValue;
        if (!CallbackGuard.IsFresh(query, time.GetUtcNow(), o.MaxClockSkew))
        {
            log.LogWarning("Refused a callback with a missing or stale timestamp, or a malformed nonce.");
            return CallbackResult.Unauthorized("timestamp missing or outside the allowed clock skew.");
        }

        if (!WeChatSignature.Verify(query.Signature, o.Token, query.Timestamp!, query.Nonce!))
        {
            log.LogWarning("Refused a callback: signature does not match.");
            return CallbackResult.Unauthorized("signature does not match.");
        }

        return null;
    }

    /// <summary>
    /// A picture's page as an image reply: the picture uploaded as temporary media within the reply window (a media_id
    /// another delivery already got is reused). When it cannot be fetched or uploaded in time, or the account has no
    /// AppSecret to upload with, the follower gets its link instead.
    /// </summary>
    private async Task<(DeliveryReply Reply, string? MediaId)> PictureAsync(DeliveryReply reply, DateTimeOffset arrivedAt, CancellationToken aborted)
    {
        var o = options.CurrentValue;
        if (reply.Image is not { } image || string.IsNullOrWhiteSpace(o.AppSecret))
        {
            return (reply, null);
        }

        using var window = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var left = arrivedAt + o.ReplyWindow - time.GetUtcNow();
        window.CancelAfter(left > MinimumUploadTime ? left : MinimumUploadTime);
        try
        {
            return (reply, await pictures.MediaIdAsync(o.AccountId, image, api.UploadImageAsync, window.Token));
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            log.LogWarning("An answer's picture was not uploaded within the reply window; the follower gets its link.");
            return (reply, null);
        }
    }

    private CallbackResult Render(DeliveryReply reply, InboundMessage message, byte[]? key) => Render((reply, null), message, key);

    private CallbackResult Render((DeliveryReply Reply, string? MediaId) page, InboundMessage message, byte[]? key)
    {
        var reply = page.Reply;
        if (reply.Kind != DeliveryReplyKind.Text)
        {
            return CallbackResult.Success;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var xml = page.MediaId is { } mediaId
            ? ReplyWriter.Write(new ImageReply(mediaId) { ToUserName = message.FromUserName, FromUserName = message.ToUserName, CreateTime = now })
            : reply.VoiceMediaId is { } voice
            ? ReplyWriter.Write(new VoiceReply(voice) { ToUserName = message.FromUserName, FromUserName = message.ToUserName, CreateTime = now })
            : ReplyWriter.Write(new TextReply(reply.Text!) { ToUserName = message.FromUserName, FromUserName = message.ToUserName, CreateTime = now });
        if (key is null)
        {
            return CallbackResult.XmlBody(xml);
        }

        var o = options.CurrentValue;
        return CallbackResult.XmlBody(EncryptedEnvelope.EncryptReply(key, o.Token, o.AppId, xml, now, EncryptedEnvelope.NewNonce()));
    }

    /// <summary>
    /// Runs a plaintext message through the whole pipeline the way WeChat delivers it — up to
    /// <see cref="WeChatOptions.Deliveries"/> times, a held delivery counting as one WeChat gave up on — and
    /// returns what each delivery answered. The message is real: it reaches Dify and the follower's state.
    /// </summary>
    public async Task<IReadOnlyList<SimulatedDelivery>> SimulateAsync(string xml, CancellationToken ct)
    {
        var message = InboundMessageParser.Parse(xml);
        var o = options.CurrentValue;
        var follower = new Follower(o.AccountId, message.FromUserName);
        var deliveries = new List<SimulatedDelivery>();
        for (var delivery = 1; delivery <= o.Deliveries; delivery++)
        {
            var reply = await conversation.HandleAsync(message.ToInbound(), follower, time.GetUtcNow(), ct);
            if (reply.Kind == DeliveryReplyKind.Hold)
            {
                deliveries.Add(new SimulatedDelivery(delivery, "held: no reply, WeChat delivers again", null));
                continue;
            }

            var rendered = Render(await PictureAsync(reply, time.GetUtcNow(), ct), message, key: null);
            deliveries.Add(new SimulatedDelivery(delivery, reply.Kind == DeliveryReplyKind.Text ? "reply" : "success: nothing shown", rendered.Body));
            break;
        }

        return deliveries;
    }

    private enum Replay
    {
        Accepted,
        Refused,
        Unknown,
    }
}
