using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WinterAI.Domain.Channels.WeComRobot.LongConnection;

/// <summary>
/// One long connection to WeCom: JSON frames in and out, sends serialized (several answers stream at once), receives by
/// one reader. Frames are <c>{"cmd","headers":{"req_id"},"body"}</c>; acknowledgements carry no cmd and an errcode.
/// </summary>
public sealed class RobotSocket(WebSocket socket) : IDisposable
{
    private const int MaxFrameBytes = 4 * 1024 * 1024;

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SemaphoreSlim sending = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> acks = new();

    public const string Subscribe = "aibot_subscribe";

    public const string Ping = "ping";

    public const string MessageCallback = "aibot_msg_callback";

    public const string EventCallback = "aibot_event_callback";

    public const string Respond = "aibot_respond_msg";

    public const string RespondWelcome = "aibot_respond_welcome_msg";

    /// <summary>A proactive message to a chat (<c>{"chatid","msgtype",…}</c>), not tied to any callback.</summary>
    public const string SendMessage = "aibot_send_msg";

    public bool IsOpen => socket.State == WebSocketState.Open;

    /// <summary>A request id as WeCom's SDK makes them: the command and a random part.</summary>
    public static string NewRequestId(string cmd) => $"{cmd}_{Guid.NewGuid():N}";

    /// <summary>A frame: the command, its request id, and a body given as JSON (or none).</summary>
    public static string Frame(string cmd, string requestId, JsonNode? body)
    {
        var frame = new JsonObject
        {
            ["cmd"] = cmd,
            ["headers"] = new JsonObject { ["req_id"] = requestId },
        };
        if (body is not null)
        {
            frame["body"] = body;
        }

        return frame.ToJsonString(Relaxed);
    }

    public async Task SendAsync(string json, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        await sending.WaitAsync(ct);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        finally
        {
            sending.Release();
        }
    }

    /// <summary>
    /// Sends a reply frame for the callback <paramref name="requestId"/> and waits for WeCom's acknowledgement (it
    /// carries the same req_id, so replies to one callback go one at a time, as WeCom's SDK sends them): the ack, or
    /// null when none came within <paramref name="timeout"/>.
    /// </summary>
    public async Task<JsonObject?> SendAndAwaitAckAsync(string requestId, string json, TimeSpan timeout, CancellationToken ct)
    {
        var ack = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        acks[requestId] = ack;
        try
        {
            await SendAsync(json, ct);
            return await ack.Task.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            acks.TryRemove(new KeyValuePair<string, TaskCompletionSource<JsonObject>>(requestId, ack));
        }
    }

    /// <summary>Hands an acknowledgement to the reply waiting for it; false when none waits.</summary>
    public bool CompleteAck(string requestId, JsonObject frame) => acks.TryRemove(requestId, out var ack) && ack.TrySetResult(frame);

    /// <summary>The next frame as a JSON object; null when WeCom closed the connection.</summary>
    /// <exception cref="WebSocketException">The connection broke, or a frame was not a JSON object.</exception>
    public async Task<JsonObject?> ReceiveAsync(CancellationToken ct)
    {
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, ct);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, received.Count);
            if (message.Length > MaxFrameBytes)
            {
                throw new WebSocketException("A frame from WeCom was larger than 4 MiB.");
            }

            if (received.EndOfMessage)
            {
                break;
            }
        }

        try
        {
            return JsonNode.Parse(message.ToArray()) as JsonObject ?? throw new WebSocketException("A frame from WeCom was not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new WebSocketException("A frame from WeCom was not valid JSON.", ex);
        }
    }

    /// <summary>Says goodbye if the connection is still open; gives up quickly.</summary>
    public async Task CloseAsync()
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", deadline.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // Closing a broken connection; nothing to do.
        }
    }

    public void Dispose()
    {
        socket.Dispose();
        sending.Dispose();
    }

    public static string? CommandOf(JsonObject frame) => frame["cmd"] is JsonValue cmd && cmd.TryGetValue<string>(out var value) ? value : null;

    public static string? RequestIdOf(JsonObject frame) =>
        frame["headers"] is JsonObject headers && headers["req_id"] is JsonValue id && id.TryGetValue<string>(out var value) ? value : null;

    public static int? ErrorCodeOf(JsonObject frame) => frame["errcode"] is JsonValue code && code.TryGetValue<int>(out var value) ? value : null;
}
