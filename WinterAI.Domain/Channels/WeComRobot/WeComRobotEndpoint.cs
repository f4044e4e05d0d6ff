using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Protocol.Callbacks;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeComRobot;

/// <summary>
/// The WeCom intelligent robot's receive URL (webhook mode): authenticates every callback before reading it, decrypts
/// the JSON (ReceiveId empty), and answers with an encrypted JSON reply. A question is queued for the turn engine and
/// answered with a new stream; WeCom then polls the stream, on any instance, and each poll gets the whole answer so
/// far (<see cref="RobotStreams"/>). Commands and fixed texts finish their stream at once.
/// </summary>
public sealed class WeComRobotEndpoint(
    IOptionsMonitor<WeComRobotOptions> options,
    ConversationService conversation,
    IntentRouter router,
    TurnStore turns,
    RobotStreams streams,
    CallbackReplays replays,
    RobotFeedback feedback,
    IOptionsMonitor<MessagesOptions> messages,
    TimeProvider time,
    ILogger<WeComRobotEndpoint> log)
{
    /// <summary>How this endpoint's callbacks are named in log lines.</summary>
    private const string Callback = "robot callback";

    public bool IsEnabled => options.CurrentValue.IsWebhookEnabled;

    /// <summary>GET: WeCom checks the receive URL; answer the decrypted echostr when msg_signature holds.</summary>
    public CallbackResult Verify(CallbackQuery query)
    {
        if (Admit(query, requireSignatureShape: false) is { } refused)
        {
            return refused;
        }

        return EncryptedCallbacks.Verify(Secrets, query, log, Callback);
    }

    /// <summary>POST, before its body is read: the channel is on, the timestamp fresh, msg_signature well-formed.</summary>
    public CallbackResult? Admit(CallbackQuery query) => Admit(query, requireSignatureShape: true);

    /// <summary>POST: a message, a stream refresh or an event; answered at once with an encrypted reply.</summary>
    public async Task<CallbackResult> ReceiveAsync(CallbackQuery query, string body, DateTimeOffset arrivedAt, CancellationToken ct)
    {
        if (Admit(query) is { } refused)
        {
            return refused;
        }

        var o = options.CurrentValue;
        try
        {
            var opened = CallbackGuard.Open(Secrets, query, RobotReplies.EncryptOf(body));
            if (EncryptedCallbacks.Refusal(opened, log, Callback) is { } notOurs)
            {
                return notOurs;
            }

            if (!await IsFirstUseAsync(query, body, o, ct))
            {
                log.LogWarning("Refused a replayed robot callback: its signed query was already accepted with another body.");
                return CallbackResult.Unauthorized("This signed query was already used.");
            }

            var message = RobotMessage.Parse(opened.Plaintext);
            var plaintext = await ReplyToAsync(message, o, arrivedAt, ct);
            return plaintext is null ? CallbackResult.Empty : RobotReplies.Encrypted(plaintext, o.Token, opened.Key!, time.GetUtcNow());
        }
        catch (WeChatProtocolException ex)
        {
            log.LogWarning("Refused a malformed robot callback: {Reason}", ex.Message);
            return CallbackResult.Malformed;
        }
    }

    /// <summary>The reply's JSON before encryption; null for an empty 200.</summary>
    private async Task<string?> ReplyToAsync(RobotMessage message, WeComRobotOptions o, DateTimeOffset arrivedAt, CancellationToken ct)
    {
        var texts = messages.CurrentValue;
        try
        {
            switch (message.MsgType)
            {
                case "stream":
                    return await RefreshAsync(message, o, ct);
                case "event":
                    return await OnEventAsync(message, o, arrivedAt, ct);
            }

            if (message.UserId.Length == 0 || message.MsgId.Length == 0)
            {
                throw new WeChatProtocolException("The robot message has no msgid or from.userid.");
            }

            var follower = RobotInbound.FollowerOf(message, o);
            var inbound = RobotInbound.InboundOf(message);
            var reply = await conversation.HandleAsync(inbound, follower, arrivedAt, ct);
            if (router.Route(inbound) is Intent.Ask && await turns.GetAsync(follower, inbound.MessageKey, ct) is not null)
            {
                var stream = await streams.StartAsync(follower, inbound.MessageKey, message.ResponseUrl, null, ct);
                return RobotReplies.Stream(stream.Id, await streams.FrameAsync(stream, ct));
            }

            return RobotReplies.Stream(Guid.NewGuid().ToString("N"), RobotContent.Frame(reply.Text ?? "", finish: true), true);
        }
        catch (StoreUnavailableException ex)
        {
            log.LogWarning("Store unavailable, the robot answers with the busy text: {Reason}", ex.Message);
            return message.MsgType == "stream" && message.StreamId is { } id
                ? RobotReplies.Stream(id, "", false)
                : RobotReplies.Stream(Guid.NewGuid().ToString("N"), texts.StoreUnavailable, true);
        }
    }

    /// <summary>A refresh poll: the stream's frame now, whichever instance started it.</summary>
    private async Task<string> RefreshAsync(RobotMessage message, WeComRobotOptions o, CancellationToken ct)
    {
        if (message.StreamId is not { Length: > 0 } id || await streams.FindAsync(o.AccountId, id, ct) is not { } stream)
        {
            log.LogInformation("A robot stream refresh named a stream this deployment does not know; finishing it empty.");
            return RobotReplies.Stream(message.StreamId ?? "", "", true);
        }

        return RobotReplies.Stream(stream.Id, await streams.FrameAsync(stream, ct));
    }

    private async Task<string?> OnEventAsync(RobotMessage message, WeComRobotOptions o, DateTimeOffset arrivedAt, CancellationToken ct)
    {
        switch (message.EventType)
        {
            case "enter_chat":
                var welcome = await conversation.HandleAsync(new Inbound.Subscribed($"enter:{message.UserId}:{arrivedAt.ToUnixTimeSeconds()}"), RobotInbound.FollowerOf(message, o), arrivedAt, ct);
                return RobotReplies.Text(welcome.Text ?? messages.CurrentValue.Help);
            case "feedback_event":
                await feedback.SendAsync(message, o, ct);
                return "";
            default:
                return null;
        }
    }

    private async Task<bool> IsFirstUseAsync(CallbackQuery query, string body, WeComRobotOptions o, CancellationToken ct)
    {
        try
        {
            return await replays.AcceptAsync(o.AccountId, query.Timestamp!, query.Nonce!, query.MsgSignature!, body, o.MaxClockSkew, ct);
        }
        catch (StoreUnavailableException)
        {
            // msg_signature binds the body to its query: nothing can be swapped in.
            return true;
        }
    }

    private CallbackResult? Admit(CallbackQuery query, bool requireSignatureShape)
    {
        var o = options.CurrentValue;
        if (!o.IsWebhookEnabled)
        {
            return CallbackResult.NotFound();
        }

        if (!CallbackGuard.IsFresh(query, time.GetUtcNow(), o.MaxClockSkew))
        {
            log.LogWarning("Refused a robot callback with a missing or stale timestamp, or a malformed nonce.");
            return CallbackResult.Unauthorized("timestamp missing or outside the allowed clock skew.");
        }

        if (requireSignatureShape && !EncryptedCallbacks.HasSignatureShape(query.MsgSignature))
        {
            log.LogWarning("Refused a robot callback: msg_signature missing or malformed.");
            return CallbackResult.Unauthorized("msg_signature does not match.");
        }

        return null;
    }

    private CallbackSecrets Secrets
    {
        get
        {
            var o = options.CurrentValue;
            return new CallbackSecrets(o.Token, "", o.EncodingAESKey);
        }
    }
}
