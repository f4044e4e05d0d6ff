using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Conversations;
using WinterAI.Domain.Delivery;
using WinterAI.Domain.WeChat.Crypto;
using WinterAI.Domain.WeChat.Messages;
using WinterAI.Domain.WeChat.Xml;

namespace WinterAI.Domain.WeChat;

/// <summary>
/// The official account's server URL: authenticates every callback before anything else, decrypts safe and
/// compatible mode, hands the message to the conversation and renders the reply (encrypted with the key
/// that decrypted the request).
/// </summary>
public sealed class OfficialAccountEndpoint(
    IOptionsMonitor<WeChatOptions> options,
    ConversationService conversation,
    TimeProvider time,
    ILogger<OfficialAccountEndpoint> log)
{
    public bool IsEnabled => options.CurrentValue.IsEnabled;

    public DeliveryPolicy Policy
    {
        get
        {
            var o = options.CurrentValue;
            return new DeliveryPolicy(o.ReplyWindow, o.Deliveries, o.HoldForRetry, o.CustomerServicePush);
        }
    }

    /// <summary>GET: the platform checks the server URL; echo <c>echostr</c> when the signature holds.</summary>
    public CallbackResult Verify(CallbackQuery query)
    {
        if (!IsEnabled)
        {
            return CallbackResult.NotFound();
        }

        return Authenticate(query) is { } refused ? refused : CallbackResult.Text(query.EchoStr ?? "");
    }

    /// <summary>POST: a message or event. <paramref name="aborted"/> fires when WeChat gives up on this delivery.</summary>
    public async Task<CallbackResult> ReceiveAsync(CallbackQuery query, string body, DateTimeOffset arrivedAt, CancellationToken aborted)
    {
        if (!IsEnabled)
        {
            return CallbackResult.NotFound();
        }

        if (Authenticate(query) is { } refused)
        {
            return refused;
        }

        var o = options.CurrentValue;
        byte[]? replyKey = null;
        string plaintext;
        try
        {
            if (string.Equals(query.EncryptType, "aes", StringComparison.OrdinalIgnoreCase))
            {
                var encrypt = EncryptedEnvelope.Parse(body).Encrypt;
                if (!WeChatSignature.Verify(query.MsgSignature, o.Token, query.Timestamp!, query.Nonce!, encrypt))
                {
                    log.LogWarning("Refused an encrypted callback: msg_signature does not match.");
                    return CallbackResult.Unauthorized("msg_signature does not match.");
                }

                if (!o.HasEncryption)
                {
                    return CallbackResult.BadRequest("Encrypted message received but WeChat:EncodingAESKey is not configured.");
                }

                (plaintext, replyKey) = Decrypt(encrypt, o);
            }
            else
            {
                plaintext = body;
            }

            var message = InboundMessageParser.Parse(plaintext);
            var reply = await conversation.HandleAsync(message, new Follower(o.AccountId, message.FromUserName), arrivedAt, Policy, aborted);
            if (reply.Kind == DeliveryReplyKind.Hold)
            {
                // Say nothing until WeChat gives up on this delivery (it then delivers again); the limit only matters behind proxies.
                await Task.Delay(o.HoldLimit, time, aborted);
                return CallbackResult.Empty;
            }

            return Render(reply, message, replyKey);
        }
        catch (WeChatProtocolException ex)
        {
            log.LogWarning("Refused a malformed callback: {Reason}", ex.Message);
            return CallbackResult.BadRequest(ex.Message);
        }
        catch (ReceiveIdMismatchException)
        {
            log.LogWarning("Refused a callback encrypted for another AppID.");
            return CallbackResult.Unauthorized("The message is not for this account.");
        }
    }

    private CallbackResult? Authenticate(CallbackQuery query)
    {
        var o = options.CurrentValue;
        if (!CallbackClock.IsFresh(query.Timestamp, time.GetUtcNow(), o.MaxClockSkew))
        {
            log.LogWarning("Refused a callback with a missing or stale timestamp.");
            return CallbackResult.Unauthorized("timestamp missing or outside the allowed clock skew.");
        }

        if (query.Nonce is null || !WeChatSignature.Verify(query.Signature, o.Token, query.Timestamp!, query.Nonce))
        {
            log.LogWarning("Refused a callback: signature does not match.");
            return CallbackResult.Unauthorized("signature does not match.");
        }

        return null;
    }

    /// <summary>Tries the current key, then the previous one (key rotation); the reply goes out under the key that worked.</summary>
    private static (string Plaintext, byte[] Key) Decrypt(string encrypt, WeChatOptions o)
    {
        var current = MessageCrypto.DecodeAesKey(o.EncodingAESKey);
        try
        {
            return (Open(current, encrypt, o.AppId), current);
        }
        catch (Exception ex) when (ex is WeChatProtocolException or ReceiveIdMismatchException && !string.IsNullOrEmpty(o.PreviousEncodingAESKey))
        {
            var previous = MessageCrypto.DecodeAesKey(o.PreviousEncodingAESKey);
            return (Open(previous, encrypt, o.AppId), previous);
        }
    }

    private static string Open(byte[] key, string encrypt, string appId)
    {
        var decrypted = MessageCrypto.Decrypt(key, encrypt);
        if (!string.Equals(decrypted.ReceiveId, appId, StringComparison.Ordinal))
        {
            throw new ReceiveIdMismatchException();
        }

        return decrypted.Message;
    }

    private CallbackResult Render(DeliveryReply reply, InboundMessage message, byte[]? key)
    {
        if (reply.Kind != DeliveryReplyKind.Text)
        {
            return CallbackResult.Success;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var xml = ReplyWriter.Write(new TextReply(reply.Text!) { ToUserName = message.FromUserName, FromUserName = message.ToUserName, CreateTime = now });
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
            var reply = await conversation.HandleAsync(message, follower, time.GetUtcNow(), Policy, ct);
            if (reply.Kind == DeliveryReplyKind.Hold)
            {
                deliveries.Add(new SimulatedDelivery(delivery, "held: no reply, WeChat delivers again", null));
                continue;
            }

            var rendered = Render(reply, message, key: null);
            deliveries.Add(new SimulatedDelivery(delivery, reply.Kind == DeliveryReplyKind.Text ? "reply" : "success: nothing shown", rendered.Body));
            break;
        }

        return deliveries;
    }

    private sealed class ReceiveIdMismatchException : Exception;
}
