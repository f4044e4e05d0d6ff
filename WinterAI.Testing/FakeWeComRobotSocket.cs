using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace WinterAI.Testing;

/// <summary>
/// Plays WeCom's long-connection endpoint for an intelligent robot: a WebSocket server that acknowledges subscribe,
/// ping and reply frames (<c>{"headers":{"req_id"},"errcode":0}</c>), records every frame it receives, pushes message
/// and event callbacks to the subscribed client, and, like WeCom, keeps one connection per bot: a new subscription
/// sends the previous connection a <c>disconnected_event</c> and closes it. Proactive messages (<c>aibot_send_msg</c>)
/// are recorded and acknowledged like replies; a reply to a callback that another connection delivered is refused
/// with <see cref="StaleRequestErrcode"/>, as WeCom refuses a req_id that did not come on the connection. A test can
/// drop the connection (<see cref="Drop"/>) and stop acknowledging pings (<see cref="AckPings"/>).
/// </summary>
public sealed class FakeWeComRobotSocket : IAsyncDisposable
{
    public const string DefaultBotId = "aibLongConnectionBot";

    public const string DefaultSecret = "RobotSecretForTests";

    /// <summary>The fake's errcode for a reply whose req_id this connection did not deliver (WeCom's own code is not documented).</summary>
    public const int StaleRequestErrcode = 846609;

    private readonly object gate = new();
    private readonly List<Received> received = [];
    private LoopbackWebApp app = null!;
    private Connection? current;
    private int connections;
    private int open;

    private FakeWeComRobotSocket()
    {
    }

    /// <summary>A frame the fake received, and on which connection (1-based, in order of arrival).</summary>
    public sealed record Received(int ConnectionNumber, JsonObject Frame)
    {
        public string? Cmd => Frame["cmd"]?.GetValue<string>();

        public string? RequestId => Frame["headers"]?["req_id"]?.GetValue<string>();

        public JsonObject? Body => Frame["body"] as JsonObject;
    }

    /// <summary><c>ws://127.0.0.1:{port}</c>, for <c>WeComRobot:WebSocketUrl</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>When set, subscriptions get this errcode instead of 0.</summary>
    public int? RefuseSubscriptionsWith { get; set; }

    /// <summary>False: pings are received but never acknowledged, as when WeCom stopped answering.</summary>
    public bool AckPings { get; set; } = true;

    /// <summary>WebSocket connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref connections);

    /// <summary>Connections open now.</summary>
    public int OpenConnections => Volatile.Read(ref open);

    /// <summary>True while a client is subscribed.</summary>
    public bool IsSubscribed
    {
        get
        {
            lock (gate)
            {
                return current is not null;
            }
        }
    }

    public IReadOnlyList<Received> Frames
    {
        get
        {
            lock (gate)
            {
                return [.. received];
            }
        }
    }

    /// <summary>The proactive messages (<c>aibot_send_msg</c> bodies: chatid, msgtype, markdown) received so far.</summary>
    public IReadOnlyList<JsonObject> SentMessages => [.. Frames.Where(f => f.Cmd == "aibot_send_msg").Select(f => f.Body!)];

    /// <summary>The <c>aibot_respond_msg</c> frames sent in reply to the callback <paramref name="requestId"/>.</summary>
    public IReadOnlyList<JsonObject> RepliesTo(string requestId, string cmd = "aibot_respond_msg") =>
        [.. Frames.Where(f => f.Cmd == cmd && f.RequestId == requestId).Select(f => f.Body!)];

    public static Dictionary<string, string?> Configuration(string url) => new()
    {
        ["WeComRobot:Mode"] = "websocket",
        ["WeComRobot:BotId"] = DefaultBotId,
        ["WeComRobot:Secret"] = DefaultSecret,
        ["WeComRobot:WebSocketUrl"] = url,
    };

    public static async Task<FakeWeComRobotSocket> StartAsync()
    {
        var fake = new FakeWeComRobotSocket();
        fake.app = await LoopbackWebApp.StartAsync(web =>
        {
            web.UseWebSockets();
            web.Run(fake.AcceptAsync);
        });
        fake.Url = "ws" + fake.app.BaseUrl["http".Length..];
        return fake;
    }

    /// <summary>Pushes an <c>aibot_msg_callback</c> (body: the message JSON, as in webhook mode) to the subscribed client; its req_id.</summary>
    public Task<string> PushMessageAsync(JsonObject body) => PushAsync("aibot_msg_callback", body);

    /// <summary>Pushes an <c>aibot_event_callback</c> to the subscribed client; its req_id.</summary>
    public Task<string> PushEventAsync(JsonObject body) => PushAsync("aibot_event_callback", body);

    /// <summary>Says to the subscribed client that another connection took the bot, and closes its connection.</summary>
    public async Task TakeOverAsync()
    {
        Connection? connection;
        lock (gate)
        {
            connection = current;
            current = null;
        }

        if (connection is not null)
        {
            await KickAsync(connection);
        }
    }

    /// <summary>Drops the subscribed client's connection without a word, as a network failure or a WeCom restart would.</summary>
    public void Drop()
    {
        Connection? connection;
        lock (gate)
        {
            connection = current;
            current = null;
        }

        if (connection is not null)
        {
            connection.Socket.Abort();
            connection.Http.Abort();
        }
    }

    private async Task<string> PushAsync(string cmd, JsonObject body)
    {
        Connection connection;
        lock (gate)
        {
            connection = current ?? throw new InvalidOperationException("No client is subscribed.");
        }

        var requestId = $"{cmd}_{Guid.NewGuid():N}";
        connection.Delivered(requestId);
        await connection.SendAsync(new JsonObject
        {
            ["cmd"] = cmd,
            ["headers"] = new JsonObject { ["req_id"] = requestId },
            ["body"] = body.DeepClone(),
        });
        return requestId;
    }

    private static async Task KickAsync(Connection connection)
    {
        try
        {
            await connection.SendAsync(new JsonObject
            {
                ["cmd"] = "aibot_event_callback",
                ["headers"] = new JsonObject { ["req_id"] = $"aibot_event_callback_{Guid.NewGuid():N}" },
                ["body"] = new JsonObject
                {
                    ["msgid"] = Guid.NewGuid().ToString("N"),
                    ["msgtype"] = "event",
                    ["event"] = new JsonObject { ["eventtype"] = "disconnected_event" },
                },
            });
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "taken over", deadline.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone already.
        }
    }

    private async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new Connection(socket, context, Interlocked.Increment(ref connections));
        Interlocked.Increment(ref open);
        try
        {
            while (await ReceiveAsync(socket, context.RequestAborted) is { } frame)
            {
                lock (gate)
                {
                    received.Add(new Received(connection.Number, frame));
                }

                await OnFrameAsync(connection, frame);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client went away, or the test dropped the connection.
        }
        finally
        {
            Interlocked.Decrement(ref open);
            lock (gate)
            {
                if (current == connection)
                {
                    current = null;
                }
            }
        }
    }

    private async Task OnFrameAsync(Connection connection, JsonObject frame)
    {
        var cmd = frame["cmd"]?.GetValue<string>();
        var requestId = frame["headers"]?["req_id"]?.GetValue<string>() ?? "";
        var errcode = 0;
        Connection? previous = null;
        if (cmd == "aibot_subscribe")
        {
            var body = frame["body"];
            errcode = RefuseSubscriptionsWith
                ?? (body?["bot_id"]?.GetValue<string>() == DefaultBotId && body?["secret"]?.GetValue<string>() == DefaultSecret ? 0 : 40058);
            if (errcode == 0)
            {
                lock (gate)
                {
                    previous = current == connection ? null : current;
                    current = connection;
                }
            }
        }

        if (cmd is "aibot_respond_msg" or "aibot_respond_welcome_msg" && !connection.HasDelivered(requestId))
        {
            errcode = StaleRequestErrcode;
        }

        if (cmd == "ping" && !AckPings)
        {
            return;
        }

        if (cmd is not null)
        {
            await connection.SendAsync(new JsonObject
            {
                ["headers"] = new JsonObject { ["req_id"] = requestId },
                ["errcode"] = errcode,
                ["errmsg"] = errcode switch
                {
                    0 => "ok",
                    StaleRequestErrcode => "invalid req_id",
                    _ => "invalid bot_id or secret",
                },
            });
        }

        if (previous is not null)
        {
            await KickAsync(previous);
        }
    }

    private static async Task<JsonObject?> ReceiveAsync(WebSocket socket, CancellationToken ct)
    {
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray())) as JsonObject;
            }
        }
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private sealed class Connection(WebSocket socket, HttpContext http, int number)
    {
        private readonly SemaphoreSlim sending = new(1, 1);
        private readonly ConcurrentDictionary<string, byte> delivered = new(StringComparer.Ordinal);

        public WebSocket Socket => socket;

        public HttpContext Http => http;

        public int Number => number;

        public void Delivered(string requestId) => delivered.TryAdd(requestId, 0);

        public bool HasDelivered(string requestId) => delivered.ContainsKey(requestId);

        public async Task SendAsync(JsonObject frame)
        {
            var bytes = Encoding.UTF8.GetBytes(frame.ToJsonString());
            await sending.WaitAsync();
            try
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
            finally
            {
                sending.Release();
            }
        }
    }
}
