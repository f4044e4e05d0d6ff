using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Protocol.Callbacks;
using WinterAI.Domain.Protocol.Xml;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeCom;

/// <summary>
/// The WeCom self-built app's callback URL: authenticates every callback before anything else, decrypts it,
/// requires it to be for our CorpID and AgentId, hands the message to the same conversation and delivery engine
/// as the official account and answers 200 with an empty body at once. Everything the member sees goes out
/// through message/send: answers via <see cref="WeComPusher"/>, every other reply via <see cref="WeComOutbox"/>.
/// </summary>
public sealed class WeComEndpoint(
    IOptionsMonitor<WeComOptions> options,
    ConversationService conversation,
    WeComOutbox outbox,
    CallbackReplays replays,
    TimeProvider time,
    ILogger<WeComEndpoint> log)
{
    /// <summary>How this endpoint's callbacks are named in log lines.</summary>
    private const string Callback = "WeCom callback";

    public bool IsEnabled => options.CurrentValue.IsEnabled;

    /// <summary>GET: WeCom checks the callback URL; answer the decrypted echostr when msg_signature holds.</summary>
    public CallbackResult Verify(CallbackQuery query)
    {
        if (!IsEnabled)
        {
            return CallbackResult.NotFound();
        }

        if (Stale(query) is { } refused)
        {
            return refused;
        }

        return EncryptedCallbacks.Verify(Secrets, query, log, Callback);
    }

    /// <summary>
    /// POST, before its body is read: the channel is on, the timestamp is fresh and the nonce and msg_signature have
    /// the right shape (msg_signature covers the body, so it is checked once the body is read). Null when the body may be read.
    /// </summary>
    public CallbackResult? Admit(CallbackQuery query)
    {
        if (!IsEnabled)
        {
            return CallbackResult.NotFound();
        }

        if (Stale(query) is { } refused)
        {
            return refused;
        }

        if (!EncryptedCallbacks.HasSignatureShape(query.MsgSignature))
        {
            log.LogWarning("Refused a WeCom callback: msg_signature missing or malformed.");
            return CallbackResult.Unauthorized("msg_signature does not match.");
        }

        return null;
    }

    /// <summary>POST: a message or event. Answers at once; the member's reply follows through message/send.</summary>
    public async Task<CallbackResult> ReceiveAsync(CallbackQuery query, string body, DateTimeOffset arrivedAt, CancellationToken ct)
    {
        if (Admit(query) is { } refused)
        {
            return refused;
        }

        var o = options.CurrentValue;
        try
        {
            var opened = CallbackGuard.Open(Secrets, query, EncryptedEnvelope.Parse(body).Encrypt);
            if (EncryptedCallbacks.Refusal(opened, log, Callback) is { } notOurs)
            {
                return notOurs;
            }

            if (!await IsFirstUseAsync(query, body, o, ct))
            {
                log.LogWarning("Refused a replayed WeCom callback: its signed query was already accepted with another body.");
                return CallbackResult.Unauthorized("This signed query was already used.");
            }

            var message = InboundMessageParser.Parse(opened.Plaintext);
            if (!IsOurAgent(message.AgentId, o))
            {
                log.LogWarning("Refused a WeCom callback for another app of the enterprise.");
                return CallbackResult.Unauthorized("The message is not for this app.");
            }

            var follower = new Follower(o.AccountId, message.FromUserName);
            var reply = await conversation.HandleAsync(message.ToInbound(), follower, arrivedAt, ct);
            if (reply.Kind == DeliveryReplyKind.Text)
            {
                await outbox.ReplyAsync(follower, message.DeduplicationKey, reply.Text!, ct, reply.Image);
            }

            return CallbackResult.Empty;
        }
        catch (WeChatProtocolException ex)
        {
            log.LogWarning("Refused a malformed WeCom callback: {Reason}", ex.Message);
            return CallbackResult.Malformed;
        }
    }

    /// <summary>msg_signature already binds the body to the query; the replay record keeps both channels to one rule.</summary>
    private async Task<bool> IsFirstUseAsync(CallbackQuery query, string body, WeComOptions o, CancellationToken ct)
    {
        try
        {
            return await replays.AcceptAsync(o.AccountId, query.Timestamp!, query.Nonce!, query.MsgSignature!, body, o.MaxClockSkew, ct);
        }
        catch (StoreUnavailableException)
        {
            // The signature covers the body, so nothing can be swapped in; the conversation answers the outage itself.
            return true;
        }
    }

    private CallbackResult? Stale(CallbackQuery query)
    {
        if (CallbackGuard.IsFresh(query, time.GetUtcNow(), options.CurrentValue.MaxClockSkew))
        {
            return null;
        }

        log.LogWarning("Refused a WeCom callback with a missing or stale timestamp, or a malformed nonce.");
        return CallbackResult.Unauthorized("timestamp missing or outside the allowed clock skew.");
    }

    private CallbackSecrets Secrets
    {
        get
        {
            var o = options.CurrentValue;
            return new CallbackSecrets(o.Token, o.CorpId, o.EncodingAESKey);
        }
    }

    /// <summary>The AgentID inside the encrypted message (the one in the clear envelope is not authenticated).</summary>
    private static bool IsOurAgent(string? agentId, WeComOptions o) =>
        long.TryParse(agentId?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
        && long.TryParse(o.AgentId, NumberStyles.None, CultureInfo.InvariantCulture, out var ours)
        && id == ours;
}
