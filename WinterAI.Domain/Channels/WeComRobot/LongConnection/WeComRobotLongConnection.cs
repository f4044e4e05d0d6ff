using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Protocol.Callbacks;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeComRobot.LongConnection;

/// <summary>
/// The WeCom robot in long-connection mode (<c>WeComRobot:Mode=websocket</c>). WeCom keeps one connection per bot (a
/// second one kicks the first), so the instances elect one holder through a lease in the shared store; only it
/// connects, subscribes with BotID and Secret, pings every 30 s and reconnects with a growing back-off. Each message
/// is answered on the connection with stream frames that grow until finished (<see cref="RobotStreams"/>), the same
/// turn engine as webhook mode behind them. When WeCom says another connection took the bot, the holder waits
/// <see cref="WeComRobotOptions.ReconnectAfterTakeover"/> before connecting again, so two deployments do not fight.
/// An answer is never cut off with its connection: every stream is owed to its chat in the store until it was finished
/// whole, and whoever holds the connection next (this instance after reconnecting, or another after taking the lease)
/// sends what is owed as a proactive message once it is ready (<see cref="RobotOwedAnswers"/>); so does a stream
/// finished by its window before the answer was ready.
/// </summary>
public sealed class WeComRobotLongConnection(
    IOptionsMonitor<WeComRobotOptions> options,
    IServiceProvider services,
    IOptionsMonitor<MessagesOptions> messages,
    TimeProvider time,
    ILogger<WeComRobotLongConnection> log) : BackgroundService
{
    /// <summary>How often an instance without the lease tries to take it.</summary>
    public static readonly TimeSpan LeaseRetry = TimeSpan.FromSeconds(3);

    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(30);

    /// <summary>WeCom acknowledges every frame within this.</summary>
    public static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How often a growing answer is sent again.</summary>
    public static readonly TimeSpan FrameInterval = TimeSpan.FromSeconds(1);

    /// <summary>How often a stream whose answer is whole looks for the suggested questions that will finish it.</summary>
    public static readonly TimeSpan SuggestionsPollInterval = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan LeaseCheck = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, byte> live = new(StringComparer.Ordinal);

    private int failures;

    private int ticks;

    private int owedPasses;

    // Resolved only in long-connection mode: an instance in webhook mode (or without Dify configured) builds none of them at start.
    private IStateStore Store => services.GetRequiredService<IStateStore>();

    private StoreKeys Keys => services.GetRequiredService<StoreKeys>();

    private ConversationService Conversation => services.GetRequiredService<ConversationService>();

    private IntentRouter Router => services.GetRequiredService<IntentRouter>();

    private TurnStore Turns => services.GetRequiredService<TurnStore>();

    private RobotStreams Streams => services.GetRequiredService<RobotStreams>();

    private RobotFeedback Feedback => services.GetRequiredService<RobotFeedback>();

    private AnswerSignals Signals => services.GetRequiredService<AnswerSignals>();

    private RobotOwedAnswers Owed => services.GetRequiredService<RobotOwedAnswers>();

    private enum SessionEnd
    {
        Closed,
        TakenOver,
        LeaseLost,
        Silent,
    }

    /// <summary>Connections made since start (subscribed or not).</summary>
    public int Connections { get; private set; }

    /// <summary>Waits armed on the clock by the keep-alive and the back-off (lets tests step a fake clock after each).</summary>
    internal int Ticks => Volatile.Read(ref ticks);

    /// <summary>Looks at the owed answers made by the sessions so far (lets tests see that a session had its look).</summary>
    internal int OwedPasses => Volatile.Read(ref owedPasses);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.CurrentValue;
        if (!o.IsEnabled || !o.IsWebSocket)
        {
            return;
        }

        await Task.Yield();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                StoreLease? lease = null;
                try
                {
                    lease = await StoreLease.TryTakeAsync(Store, Keys.RobotConnection(o.AccountId), $"{Environment.MachineName}:robot-connection", time, log, stoppingToken);
                }
                catch (StoreUnavailableException ex)
                {
                    log.LogDebug("Could not try the robot connection lease: {Reason}", ex.Message);
                }

                if (lease is null)
                {
                    await Task.Delay(LeaseRetry, time, stoppingToken);
                    continue;
                }

                await using (lease)
                {
                    log.LogInformation("This instance holds the robot's long connection.");
                    await LeadAsync(lease, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Connects again and again while this instance holds the lease.</summary>
    private async Task LeadAsync(StoreLease lease, CancellationToken ct)
    {
        while (!lease.Lost && !ct.IsCancellationRequested)
        {
            SessionEnd end;
            try
            {
                end = await RunSessionAsync(lease, ct);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or TimeoutException or HttpRequestException or RobotSocketRefusedException
                                           || (ex is OperationCanceledException && !ct.IsCancellationRequested))
            {
                failures++;
                var wait = Backoff(failures);
                log.LogWarning("The robot's long connection failed ({Reason}); connecting again in {Wait}.", ex.Message, wait);
                await WaitHoldingAsync(wait, lease, ct);
                continue;
            }

            switch (end)
            {
                case SessionEnd.LeaseLost:
                    log.LogWarning("The robot connection lease was lost; the connection was closed for whoever holds it now.");
                    return;
                case SessionEnd.TakenOver:
                    var later = options.CurrentValue.ReconnectAfterTakeover;
                    log.LogWarning(
                        "WeCom closed the robot's long connection because another connection subscribed with the same BotID (another deployment?). Connecting again in {Wait}.",
                        later);
                    await WaitHoldingAsync(later, lease, ct);
                    break;
                default:
                    failures++;
                    var wait = Backoff(failures);
                    log.LogWarning("The robot's long connection ended ({End}); connecting again in {Wait}.", end, wait);
                    await WaitHoldingAsync(wait, lease, ct);
                    break;
            }
        }
    }

    /// <summary>1 s, 2 s, 4 s … up to <see cref="MaxBackoff"/>.</summary>
    public static TimeSpan Backoff(int failures) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Clamp(failures - 1, 0, 10))));

    /// <summary>Waits, keeping the lease, unless the lease is lost meanwhile.</summary>
    private async Task WaitHoldingAsync(TimeSpan wait, StoreLease lease, CancellationToken ct)
    {
        var until = time.GetUtcNow() + wait;
        while (!lease.Lost && time.GetUtcNow() < until)
        {
            var left = until - time.GetUtcNow();
            await TickAsync(left < LeaseCheck ? left : LeaseCheck, ct);
        }
    }

    private async Task<SessionEnd> RunSessionAsync(StoreLease lease, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var client = new ClientWebSocket();
        using var socket = new RobotSocket(client);
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            connecting.CancelAfter(ConnectTimeout);
            Connections++;
            await client.ConnectAsync(new Uri(o.WebSocketUrl), connecting.Token);
            await SubscribeAsync(socket, o, connecting.Token);
        }

        failures = 0;
        log.LogInformation("Subscribed to WeCom as robot {BotId} over the long connection.", o.BotId);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var lastHeard = time.GetUtcNow();
        var end = SessionEnd.Closed;
        var keeping = KeepAliveAsync(socket, lease, () => lastHeard, reason =>
        {
            end = reason;
            session.Cancel();
        }, session.Token);
        var owing = DeliverOwedAsync(socket, o.AccountId, session.Token);
        // Replies in flight end with the session (their acks would never come); the turns behind them go on, and their
        // answers stay owed until the next session delivers them.
        var handlers = new List<Task>();
        try
        {
            while (true)
            {
                JsonObject? frame;
                try
                {
                    frame = await socket.ReceiveAsync(session.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    return end == SessionEnd.Silent ? throw new TimeoutException("WeCom stopped answering pings.") : end;
                }

                if (frame is null)
                {
                    return SessionEnd.Closed;
                }

                lastHeard = time.GetUtcNow();
                handlers.RemoveAll(t => t.IsCompleted);
                var requestId = RobotSocket.RequestIdOf(frame) ?? "";
                switch (RobotSocket.CommandOf(frame))
                {
                    case RobotSocket.MessageCallback when frame["body"] is JsonObject body:
                        handlers.Add(AnswerAsync(socket, requestId, body, session.Token));
                        break;
                    case RobotSocket.EventCallback when frame["body"] is JsonObject body:
                        if (EventTypeOf(body) == "disconnected_event")
                        {
                            return SessionEnd.TakenOver;
                        }

                        handlers.Add(OnEventAsync(socket, requestId, body, session.Token));
                        break;
                    case null:
                        if (!socket.CompleteAck(requestId, frame) && RobotSocket.ErrorCodeOf(frame) is { } code and not 0)
                        {
                            log.LogWarning("WeCom refused a frame on the robot's long connection: errcode {Code}, {Message}.", code, frame["errmsg"]?.ToString());
                        }

                        break;
                }
            }
        }
        finally
        {
            await session.CancelAsync();
            await socket.CloseAsync();
            await Quietly(keeping);
            await Quietly(owing);
            foreach (var handler in handlers)
            {
                await Quietly(handler);
            }
        }
    }

    private static async Task SubscribeAsync(RobotSocket socket, WeComRobotOptions o, CancellationToken ct)
    {
        var requestId = RobotSocket.NewRequestId(RobotSocket.Subscribe);
        await socket.SendAsync(RobotSocket.Frame(RobotSocket.Subscribe, requestId, new JsonObject
        {
            ["bot_id"] = o.BotId.Trim(),
            ["secret"] = o.Secret.Trim(),
        }), ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(AckTimeout);
        while (true)
        {
            JsonObject? frame;
            try
            {
                frame = await socket.ReceiveAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException("WeCom did not acknowledge the subscription within 5 s.");
            }

            if (frame is null)
            {
                throw new WebSocketException("WeCom closed the connection before acknowledging the subscription.");
            }

            if (RobotSocket.CommandOf(frame) is null && RobotSocket.RequestIdOf(frame) == requestId)
            {
                if (RobotSocket.ErrorCodeOf(frame) is { } code and not 0)
                {
                    throw new RobotSocketRefusedException($"WeCom refused the subscription: errcode {code}, {frame["errmsg"]} (check WeComRobot:BotId and WeComRobot:Secret)");
                }

                return;
            }
        }
    }

    /// <summary>Pings every 30 s; ends the session when WeCom goes silent or the lease is lost.</summary>
    private async Task KeepAliveAsync(RobotSocket socket, StoreLease lease, Func<DateTimeOffset> lastHeard, Action<SessionEnd> end, CancellationToken ct)
    {
        var nextPing = time.GetUtcNow() + PingInterval;
        while (!ct.IsCancellationRequested)
        {
            await TickAsync(LeaseCheck, ct);
            if (lease.Lost)
            {
                end(SessionEnd.LeaseLost);
                return;
            }

            var now = time.GetUtcNow();
            if (now - lastHeard() > PingInterval + PingInterval + AckTimeout)
            {
                end(SessionEnd.Silent);
                return;
            }

            if (now >= nextPing)
            {
                nextPing = now + PingInterval;
                await socket.SendAsync(RobotSocket.Frame(RobotSocket.Ping, RobotSocket.NewRequestId(RobotSocket.Ping), null), ct);
            }
        }
    }

    /// <summary>A member's message: through the conversation, then one finished frame or a stream growing until finished.</summary>
    private async Task AnswerAsync(RobotSocket socket, string requestId, JsonObject body, CancellationToken ct)
    {
        var o = options.CurrentValue;
        try
        {
            var message = RobotMessage.Parse(body.ToJsonString());
            if (message.UserId.Length == 0 || message.MsgId.Length == 0)
            {
                log.LogWarning("Ignored a robot message without msgid or from.userid.");
                return;
            }

            var follower = RobotInbound.FollowerOf(message, o);
            var inbound = RobotInbound.InboundOf(message);
            try
            {
                var reply = await Conversation.HandleAsync(inbound, follower, time.GetUtcNow(), ct);
                if (Router.Route(inbound) is Intent.Ask && await Turns.GetAsync(follower, inbound.MessageKey, ct) is not null)
                {
                    var chat = message.IsGroup && message.ChatId is { Length: > 0 } group ? group : message.UserId;
                    var stream = await Streams.StartAsync(follower, inbound.MessageKey, message.ResponseUrl, chat, ct);
                    // Live before owed: the owed answers' look must not take a stream this session is about to show.
                    live.TryAdd(stream.Id, 0);
                    try
                    {
                        await Owed.OweAsync(stream, ct);
                        await StreamAsync(socket, requestId, stream, ct);
                    }
                    finally
                    {
                        live.TryRemove(stream.Id, out _);
                    }

                    return;
                }

                await RespondAsync(socket, requestId, Guid.NewGuid().ToString("N"), RobotContent.Frame(reply.Text ?? "", finish: true), true, ct);
            }
            catch (StoreUnavailableException ex)
            {
                log.LogWarning("Store unavailable, the robot answers with the busy text: {Reason}", ex.Message);
                await RespondAsync(socket, requestId, Guid.NewGuid().ToString("N"), messages.CurrentValue.StoreUnavailable, true, ct);
            }
        }
        catch (WeChatProtocolException ex)
        {
            log.LogWarning("Ignored a malformed robot message on the long connection: {Reason}", ex.Message);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            log.LogWarning("Could not answer a robot message: the long connection closed ({Reason}).", ex.Message);
        }
    }

    /// <summary>Sends the answer so far every second (only when it grew), and at once when it is ready, until the stream is finished.</summary>
    private async Task StreamAsync(RobotSocket socket, string requestId, RobotStream stream, CancellationToken ct)
    {
        var giveUpAt = time.GetUtcNow() + options.CurrentValue.StreamWindow + TimeSpan.FromSeconds(30);
        string? sent = null;
        while (socket.IsOpen)
        {
            string content;
            bool finish;
            bool whole;
            IReadOnlyList<RobotPicture>? pictures = null;
            try
            {
                var frame = await Streams.FrameAsync(stream, ct);
                (content, finish, pictures) = (frame.Content, frame.Finish, frame.Pictures);
                // A stream finished by its window with the answer not ready ends with the note and stays owed.
                whole = finish && !content.EndsWith(RobotContent.LaterNote, StringComparison.Ordinal);
            }
            catch (StoreUnavailableException ex)
            {
                log.LogDebug("Store unavailable while streaming a robot answer: {Reason}", ex.Message);
                if (time.GetUtcNow() < giveUpAt)
                {
                    await Task.Delay(FrameInterval, time, ct);
                    continue;
                }

                (content, finish, whole) = (messages.CurrentValue.StoreUnavailable, true, false);
            }

            if (whole)
            {
                try
                {
                    await FinishAsync(socket, requestId, stream, new RobotFrame(content, true, pictures), ct);
                    return;
                }
                catch (StoreUnavailableException ex)
                {
                    log.LogDebug("Store unavailable while finishing a robot answer: {Reason}", ex.Message);
                    await Task.Delay(FrameInterval, time, ct);
                    continue;
                }
            }

            if (finish || content != sent)
            {
                if (!await RespondAsync(socket, requestId, stream.Id, content, finish, ct))
                {
                    return;
                }

                sent = content;
            }

            if (finish)
            {
                return;
            }

            await UntilNextFrameAsync(stream, ct);
        }
    }

    /// <summary>
    /// The finishing frame of the whole answer, under the message's delivery claim: settled once WeCom acknowledged it;
    /// otherwise the claim is given back and the answer stays owed (it goes as a proactive message).
    /// </summary>
    private async Task FinishAsync(RobotSocket socket, string requestId, RobotStream stream, RobotFrame finishing, CancellationToken ct)
    {
        await using var claim = await Owed.ClaimAsync(stream, ct);
        if (claim is null)
        {
            log.LogDebug("A robot answer was delivered another way; its stream is not finished again.");
            return;
        }

        var frame = RobotSocket.Frame(RobotSocket.Respond, requestId, JsonNode.Parse(RobotReplies.Stream(stream.Id, finishing)));
        var ack = await socket.SendAndAwaitAckAsync(requestId, frame, AckTimeout, ct);
        if (ack is not null && RobotSocket.ErrorCodeOf(ack) is null or 0)
        {
            await Owed.SettleAsync(stream, claim, RobotOwedAnswers.Delivered, CancellationToken.None);
            return;
        }

        log.LogWarning(
            "WeCom did not take the finishing frame of a robot answer ({Reason}); the answer will be sent as a proactive message.",
            ack is null ? $"no acknowledgement within {AckTimeout}" : $"errcode {RobotSocket.ErrorCodeOf(ack)}, {ack["errmsg"]}");
    }

    /// <summary>
    /// While the session lasts, about every second: the owed answers that are ready go to their chats as proactive
    /// markdown messages (<c>aibot_send_msg</c>), once each across instances.
    /// </summary>
    private async Task DeliverOwedAsync(RobotSocket socket, string account, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested && socket.IsOpen)
        {
            try
            {
                await Owed.DeliverReadyAsync(account, live.ContainsKey, (stream, content, c) => SendOwedAsync(socket, stream, content, c), ct);
            }
            catch (StoreUnavailableException ex)
            {
                log.LogDebug("Store unavailable while looking at the robot's owed answers: {Reason}", ex.Message);
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or WebSocketException or IOException or ObjectDisposedException))
            {
                log.LogWarning(ex, "Looking at the robot's owed answers failed; trying again.");
            }

            Interlocked.Increment(ref owedPasses);
            await Task.Delay(FrameInterval, time, ct);
        }
    }

    /// <summary>One owed answer as a proactive markdown message to its chat: delivered, refused, or null (try again).</summary>
    private async Task<string?> SendOwedAsync(RobotSocket socket, RobotStream stream, string content, CancellationToken ct)
    {
        var chat = stream.ChatId ?? (stream.FollowerId.StartsWith("group:", StringComparison.Ordinal) ? null : stream.FollowerId);
        if (chat is null)
        {
            log.LogWarning("A robot answer cut off with its stream names no chat to send it to; it stays available through 1.");
            return RobotOwedAnswers.Refused;
        }

        var requestId = RobotSocket.NewRequestId(RobotSocket.SendMessage);
        var body = new JsonObject
        {
            ["chatid"] = chat,
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject { ["content"] = content },
        };
        var ack = await socket.SendAndAwaitAckAsync(requestId, RobotSocket.Frame(RobotSocket.SendMessage, requestId, body), AckTimeout, ct);
        if (ack is null)
        {
            log.LogWarning("WeCom did not acknowledge a proactive robot message within {Timeout}; it will be sent again.", AckTimeout);
            return null;
        }

        if (RobotSocket.ErrorCodeOf(ack) is { } code and not 0)
        {
            log.LogWarning("WeCom refused a proactive robot message: errcode {Code}, {Message}; the answer stays available through 1.", code, ack["errmsg"]?.ToString());
            return RobotOwedAnswers.Refused;
        }

        log.LogInformation("A robot answer cut off with its stream was sent whole as a proactive message.");
        return RobotOwedAnswers.Delivered;
    }

    /// <summary>Waits on the clock, counting the wait once it is armed.</summary>
    private async Task TickAsync(TimeSpan wait, CancellationToken ct)
    {
        var delay = Task.Delay(wait, time, ct);
        Interlocked.Increment(ref ticks);
        await delay;
    }

    /// <summary>About a second, or less when the answer is ready (the runner's signal, on whichever instance it ran).</summary>
    private async Task UntilNextFrameAsync(RobotStream stream, CancellationToken ct)
    {
        try
        {
            if (await Turns.GetAsync(stream.Follower, stream.MessageKey, ct) is { IsAnswered: true })
            {
                // Answered but not finished: the stream waits for the suggested questions (RobotStreams.SuggestionsWait).
                await Task.Delay(SuggestionsPollInterval, time, ct);
                return;
            }

            await Signals.WaitAsync(
                stream.Follower,
                stream.MessageKey,
                async c => await Turns.GetAsync(stream.Follower, stream.MessageKey, c) is { IsAnswered: true },
                time.GetUtcNow() + FrameInterval,
                ct);
        }
        catch (StoreUnavailableException)
        {
            await Task.Delay(FrameInterval, time, ct);
        }
    }

    private async Task OnEventAsync(RobotSocket socket, string requestId, JsonObject body, CancellationToken ct)
    {
        var o = options.CurrentValue;
        try
        {
            var message = RobotMessage.Parse(body.ToJsonString());
            switch (message.EventType)
            {
                case "enter_chat":
                    var now = time.GetUtcNow();
                    var welcome = await Conversation.HandleAsync(new Inbound.Subscribed($"enter:{message.UserId}:{now.ToUnixTimeSeconds()}"), RobotInbound.FollowerOf(message, o), now, ct);
                    await SendReplyAsync(socket, requestId, RobotSocket.Frame(RobotSocket.RespondWelcome, requestId, JsonNode.Parse(RobotReplies.Text(welcome.Text ?? messages.CurrentValue.Help))), ct);
                    break;
                case "feedback_event":
                    await Feedback.SendAsync(message, o, ct);
                    break;
            }
        }
        catch (WeChatProtocolException ex)
        {
            log.LogWarning("Ignored a malformed robot event on the long connection: {Reason}", ex.Message);
        }
        catch (StoreUnavailableException ex)
        {
            log.LogWarning("Store unavailable while handling a robot event: {Reason}", ex.Message);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            log.LogWarning("Could not answer a robot event: the long connection closed ({Reason}).", ex.Message);
        }
    }

    /// <summary>One stream frame, once WeCom acknowledged the one before; false when WeCom refused it (stop streaming).</summary>
    private Task<bool> RespondAsync(RobotSocket socket, string requestId, string streamId, string content, bool finish, CancellationToken ct) =>
        SendReplyAsync(socket, requestId, RobotSocket.Frame(RobotSocket.Respond, requestId, JsonNode.Parse(RobotReplies.Stream(streamId, content, finish))), ct);

    private async Task<bool> SendReplyAsync(RobotSocket socket, string requestId, string frame, CancellationToken ct)
    {
        var ack = await socket.SendAndAwaitAckAsync(requestId, frame, AckTimeout, ct);
        if (ack is null)
        {
            log.LogWarning("WeCom did not acknowledge a robot reply within {Timeout}.", AckTimeout);
            return true;
        }

        if (RobotSocket.ErrorCodeOf(ack) is { } code and not 0)
        {
            log.LogWarning("WeCom refused a robot reply: errcode {Code}, {Message}.", code, ack["errmsg"]?.ToString());
            return false;
        }

        return true;
    }

    private static string? EventTypeOf(JsonObject body) =>
        body["event"] is JsonObject e && e["eventtype"] is JsonValue type && type.TryGetValue<string>(out var value) ? value : null;

    private async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            log.LogDebug("A long-connection task ended with the connection: {Reason}", ex.Message);
        }
    }
}

/// <summary>WeCom answered the subscription with an error (wrong BotID or Secret, most likely).</summary>
public sealed class RobotSocketRefusedException(string message) : Exception(message);
