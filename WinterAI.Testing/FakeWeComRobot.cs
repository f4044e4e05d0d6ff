using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace WinterAI.Testing;

/// <summary>
/// Plays WeCom's side of an intelligent robot in webhook mode: builds each callback as WeCom does (JSON, encrypted with
/// an empty ReceiveId, signed), posts it to <c>/wecom-robot</c>, checks the reply's signature and decrypts it; polls a
/// stream the way WeCom refreshes it. <see cref="ClientFor"/> lets successive requests land on different instances.
/// </summary>
public sealed class FakeWeComRobot(HttpClient client, string token, string encodingAesKey)
{
    /// <summary>A Token and EncodingAESKey as the robot's settings page hands them out.</summary>
    public const string DefaultToken = "RobotTokenForTests123";

    public const string DefaultAesKey = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";

    private static long nextMsgId = 9_000_000;
    private int requests;

    public static FakeWeComRobot For(HttpClient client) => new(client, DefaultToken, DefaultAesKey);

    public static Dictionary<string, string?> Configuration() => new()
    {
        ["WeComRobot:Token"] = DefaultToken,
        ["WeComRobot:EncodingAESKey"] = DefaultAesKey,
    };

    /// <summary>Which client carries request N (0-based), e.g. alternating between two instances.</summary>
    public Func<int, HttpClient>? ClientFor { get; init; }

    public static string NewMsgId() => $"msg{Interlocked.Increment(ref nextMsgId)}";

    public static JsonObject Text(string userId, string content, string? msgId = null, string? chatId = null, string? quote = null, string? responseUrl = null)
    {
        var message = Base(msgId ?? NewMsgId(), userId, chatId, "text", responseUrl);
        message["text"] = new JsonObject { ["content"] = content };
        if (quote is not null)
        {
            message["quote"] = new JsonObject { ["msgtype"] = "text", ["text"] = new JsonObject { ["content"] = quote } };
        }

        return message;
    }

    /// <summary>A picture: its encrypted download URL, and in long-connection mode its own <paramref name="aesKey"/>.</summary>
    public static JsonObject Image(string userId, string url, string? aesKey = null, string? chatId = null)
    {
        var message = Base(NewMsgId(), userId, chatId, "image", null);
        message["image"] = ImageItem(url, aesKey);
        return message;
    }

    /// <summary>Text and pictures in one message (图文混排), in the order given.</summary>
    public static JsonObject Mixed(string userId, string text, params string[] imageUrls)
    {
        var message = Base(NewMsgId(), userId, null, "mixed", null);
        var items = new JsonArray(new JsonObject { ["msgtype"] = "text", ["text"] = new JsonObject { ["content"] = text } });
        foreach (var url in imageUrls)
        {
            items.Add(new JsonObject { ["msgtype"] = "image", ["image"] = ImageItem(url, null) });
        }

        message["mixed"] = new JsonObject { ["msg_item"] = items };
        return message;
    }

    private static JsonObject ImageItem(string url, string? aesKey)
    {
        var image = new JsonObject { ["url"] = url };
        if (aesKey is not null)
        {
            image["aeskey"] = aesKey;
        }

        return image;
    }

    public static JsonObject Event(string userId, string eventType, JsonObject? detail = null)
    {
        var message = Base(NewMsgId(), userId, null, "event", null);
        var @event = new JsonObject { ["eventtype"] = eventType };
        if (detail is not null)
        {
            @event[eventType] = detail;
        }

        message["event"] = @event;
        return message;
    }

    public static JsonObject Refresh(string streamId) => new()
    {
        ["msgid"] = NewMsgId(),
        ["aibotid"] = "AIBOTID",
        ["chattype"] = "single",
        ["from"] = new JsonObject { ["userid"] = "poller" },
        ["msgtype"] = "stream",
        ["stream"] = new JsonObject { ["id"] = streamId },
    };

    /// <summary>Posts one callback; the reply, decrypted (null when the body was empty or the status not 200).</summary>
    public async Task<RobotReply> PostAsync(JsonObject message, long? timestamp = null)
    {
        using var request = BuildRequest(message.ToJsonString(), timestamp);
        return await SendAsync(request);
    }

    public HttpRequestMessage BuildRequest(string json, long? timestamp = null)
    {
        var ts = (timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var nonce = Random.Shared.NextInt64(100_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var encrypt = WeChatWire.Encrypt(encodingAesKey, json, "");
        var signature = WeChatWire.Sign(token, ts, nonce, encrypt);
        return new HttpRequestMessage(HttpMethod.Post, $"/wecom-robot?msg_signature={signature}&timestamp={ts}&nonce={nonce}")
        {
            Content = new StringContent(new JsonObject { ["encrypt"] = encrypt }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
    }

    public async Task<RobotReply> SendAsync(HttpRequestMessage request)
    {
        var http = ClientFor?.Invoke(Interlocked.Increment(ref requests) - 1) ?? client;
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new RobotReply(response.StatusCode, body, response.StatusCode == HttpStatusCode.OK && body.Length > 0 ? Open(body) : null);
    }

    /// <summary>Sends a question and refreshes its stream until it finishes (or <paramref name="maxPolls"/>), every frame kept.</summary>
    /// <param name="onFrame">Sees each frame as it arrives (e.g. to note when).</param>
    public async Task<IReadOnlyList<JsonObject>> AskAndFollowAsync(JsonObject question, Func<Task>? betweenPolls = null, int maxPolls = 600, Action<JsonObject>? onFrame = null)
    {
        var frames = new List<JsonObject>();
        var first = (await PostAsync(question)).Message ?? throw new InvalidOperationException("The robot did not reply to the question.");
        onFrame?.Invoke(first);
        frames.Add(first);
        var streamId = first["stream"]!["id"]!.GetValue<string>();
        while (!(bool)frames[^1]["stream"]!["finish"]! && frames.Count < maxPolls)
        {
            if (betweenPolls is not null)
            {
                await betweenPolls();
            }

            var frame = (await PostAsync(Refresh(streamId))).Message ?? throw new InvalidOperationException("The robot did not reply to a refresh.");
            onFrame?.Invoke(frame);
            frames.Add(frame);
        }

        return frames;
    }

    /// <summary>Checks the reply's signature and decrypts it, as WeCom would.</summary>
    public JsonObject Open(string body)
    {
        var envelope = JsonNode.Parse(body)!.AsObject();
        var encrypt = envelope["encrypt"]!.GetValue<string>();
        var signature = WeChatWire.Sign(token, envelope["timestamp"]!.GetValue<string>(), envelope["nonce"]!.GetValue<string>(), encrypt);
        if (signature != envelope["msgsignature"]!.GetValue<string>())
        {
            throw new InvalidOperationException("The reply's msgsignature does not match.");
        }

        var (message, receiveId) = WeChatWire.Decrypt(encodingAesKey, encrypt);
        if (receiveId.Length != 0)
        {
            throw new InvalidOperationException($"The reply is encrypted for '{receiveId}', not for the robot (empty ReceiveId).");
        }

        return message.Length == 0 ? [] : JsonNode.Parse(message)!.AsObject();
    }

    private static JsonObject Base(string msgId, string userId, string? chatId, string msgType, string? responseUrl)
    {
        var message = new JsonObject
        {
            ["msgid"] = msgId,
            ["aibotid"] = "AIBOTID",
            ["chattype"] = chatId is null ? "single" : "group",
            ["from"] = new JsonObject { ["userid"] = userId },
            ["response_url"] = responseUrl ?? "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=test",
            ["msgtype"] = msgType,
        };
        if (chatId is not null)
        {
            message["chatid"] = chatId;
        }

        return message;
    }
}

/// <summary>One reply of the robot's callback: status, raw body, and the decrypted JSON (null for an empty or refused reply).</summary>
public sealed record RobotReply(HttpStatusCode Status, string Body, JsonObject? Message)
{
    public string? StreamContent => Message?["stream"]?["content"]?.GetValue<string>();

    public bool? Finished => Message?["stream"]?["finish"]?.GetValue<bool>();
}
