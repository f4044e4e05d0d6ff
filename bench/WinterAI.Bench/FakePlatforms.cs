using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace WinterAI.Bench;

/// <summary>
/// Dify and WeChat's platform API as WinterAI sees them, on one loopback Kestrel: <c>POST /v1/chat-messages</c>
/// answers every bench question after the latency written in it, in Dify's streaming format; <c>/cgi-bin/...</c>
/// hands out an access token and records customer-service pushes. Everything is recorded with bench-clock instants.
/// </summary>
public sealed class FakePlatforms : IAsyncDisposable
{
    public const string DifyApiKey = "app-bench-key";

    /// <summary>Real Dify pings about every 10 s while an answer is being generated.</summary>
    private static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(10);

    /// <summary>The answer streams in over the last fifth of the latency, as tokens do.</summary>
    private const double StreamingShare = 0.2;

    private const int ChunkCount = 4;

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<DifyCall>> calls = new();
    private readonly ConcurrentQueue<PushedMessage> pushes = new();
    private readonly ConcurrentQueue<string> unexpected = new();
    private int typing;

    private FakePlatforms(WebApplication app)
    {
        this.app = app;
    }

    public string BaseUrl { get; private set; } = "";

    public string DifyBaseUrl => $"{BaseUrl}/v1";

    public int TypingCalls => Volatile.Read(ref typing);

    public IReadOnlyCollection<PushedMessage> Pushes => pushes;

    /// <summary>Requests nothing here expected (a wrong path, a bad key, an unknown question): each is a bench failure.</summary>
    public IReadOnlyCollection<string> Unexpected => unexpected;

    public IReadOnlyList<DifyCall> CallsFor(string query) => calls.TryGetValue(query, out var list) ? list.ToList() : [];

    public IEnumerable<DifyCall> AllCalls => calls.Values.SelectMany(q => q);

    public static async Task<FakePlatforms> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxConcurrentConnections = null);
        var app = builder.Build();
        var platforms = new FakePlatforms(app);
        platforms.Map();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        platforms.BaseUrl = address.TrimEnd('/');
        return platforms;
    }

    private void Map()
    {
        app.MapPost("/v1/chat-messages", ChatAsync);
        app.MapPost("/cgi-bin/stable_token", () => Results.Json(new { access_token = "bench-access-token", expires_in = 7200 }));
        app.MapPost("/cgi-bin/message/custom/send", (Func<HttpContext, Task<IResult>>)SendAsync);
        app.MapPost("/cgi-bin/message/custom/typing", () =>
        {
            Interlocked.Increment(ref typing);
            return Results.Json(new { errcode = 0, errmsg = "ok" });
        });
        app.MapFallback((HttpContext http) =>
        {
            unexpected.Enqueue($"{http.Request.Method} {http.Request.Path}");
            return Results.NotFound();
        });
    }

    private async Task ChatAsync(HttpContext http)
    {
        var received = BenchClock.NowMs;
        if (http.Request.Headers.Authorization.ToString() != $"Bearer {DifyApiKey}")
        {
            unexpected.Enqueue("chat-messages with a wrong or missing API key");
            http.Response.StatusCode = 401;
            await http.Response.WriteAsJsonAsync(new { code = "unauthorized", message = "Access token is invalid", status = 401 });
            return;
        }

        var body = await JsonNode.ParseAsync(http.Request.Body);
        var query = body?["query"]?.GetValue<string>() ?? "";
        var user = body?["user"]?.GetValue<string>() ?? "";
        var conversationId = body?["conversation_id"]?.GetValue<string>();
        var call = new DifyCall(query, user, conversationId, received);
        calls.GetOrAdd(query, _ => new ConcurrentQueue<DifyCall>()).Enqueue(call);

        if (BenchQuestion.LatencyOf(query) is not { } latency || BenchQuestion.AnswerFor(query) is not { } answer)
        {
            unexpected.Enqueue($"chat-messages for a question the bench never asked: {query}");
            http.Response.StatusCode = 400;
            await http.Response.WriteAsJsonAsync(new { code = "invalid_param", message = "not a bench question", status = 400 });
            return;
        }

        var ct = http.RequestAborted;
        var conversation = string.IsNullOrEmpty(conversationId) ? Guid.NewGuid().ToString() : conversationId;
        var messageId = Guid.NewGuid().ToString();
        var taskId = Guid.NewGuid().ToString();
        http.Response.ContentType = "text/event-stream; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        try
        {
            await http.Response.StartAsync(ct);
            var chunks = BenchQuestion.Chunks(answer, ChunkCount);
            var streamFrom = received + latency * (1 - StreamingShare);
            for (var i = 0; i < chunks.Count; i++)
            {
                await PingUntilAsync(http, streamFrom + latency * StreamingShare * i / chunks.Count, ct);
                await WriteAsync(http, Event("message", taskId, messageId, conversation, e => e["answer"] = chunks[i]), ct);
            }

            await PingUntilAsync(http, received + latency, ct);
            await WriteAsync(http, Event("message_end", taskId, messageId, conversation, e => e["metadata"] = new JsonObject
            {
                ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 20, ["total_tokens"] = 30 },
            }), ct);
            call.Answer = answer;
            call.EndedAtMs = BenchClock.NowMs;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            call.Aborted = true;
        }
    }

    private static async Task PingUntilAsync(HttpContext http, double instantMs, CancellationToken ct)
    {
        while (instantMs - BenchClock.NowMs > PingEvery.TotalMilliseconds)
        {
            await Task.Delay(PingEvery, ct);
            await WriteAsync(http, "event: ping\n\n", ct);
        }

        await BenchClock.UntilAsync(instantMs, ct);
    }

    private static string Event(string name, string taskId, string messageId, string conversationId, Action<JsonObject> fill)
    {
        var e = new JsonObject
        {
            ["event"] = name,
            ["task_id"] = taskId,
            ["id"] = messageId,
            ["message_id"] = messageId,
            ["conversation_id"] = conversationId,
            ["created_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        fill(e);
        return $"data: {e.ToJsonString()}\n\n";
    }

    private static async Task WriteAsync(HttpContext http, string frame, CancellationToken ct)
    {
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(frame), ct);
        await http.Response.Body.FlushAsync(ct);
    }

    private async Task<IResult> SendAsync(HttpContext http)
    {
        var at = BenchClock.NowMs;
        var body = await JsonNode.ParseAsync(http.Request.Body);
        var openId = body?["touser"]?.GetValue<string>();
        var content = body?["text"]?["content"]?.GetValue<string>();
        if (http.Request.Query["access_token"] != "bench-access-token" || openId is null || content is null)
        {
            unexpected.Enqueue($"custom/send without a valid token, touser or text: {body?.ToJsonString(new JsonSerializerOptions())}");
            return Results.Json(new { errcode = 40001, errmsg = "invalid credential" });
        }

        pushes.Enqueue(new PushedMessage(openId, content, at));
        return Results.Json(new { errcode = 0, errmsg = "ok", msgid = at.ToString("F0", CultureInfo.InvariantCulture) });
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await app.StopAsync(stop.Token);
        await app.DisposeAsync();
    }
}
