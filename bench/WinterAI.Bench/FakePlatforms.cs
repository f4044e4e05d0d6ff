using System.Collections.Concurrent;

namespace WinterAI.Bench;

/// <summary>
/// Dify and WeChat's platform API as WinterAI sees them, from WinterAI.Testing: the fake Dify answers every bench
/// question after the latency written in it, in Dify's streaming format, with pings as real Dify sends them; the fake
/// WeChat API hands out access tokens and records customer-service pushes. Everything is recorded with bench-clock
/// instants.
/// </summary>
public sealed class FakePlatforms : IAsyncDisposable
{
    public const string DifyApiKey = "app-bench-key";

    /// <summary>Real Dify pings about every 10 s while an answer is being generated.</summary>
    private static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(10);

    /// <summary>The answer streams in over the last fifth of the latency, as tokens do.</summary>
    private const double StreamingShare = 0.2;

    private const int ChunkCount = 4;

    private readonly FakeDifyServer dify;
    private readonly FakeWeChatApi weChatApi;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<DifyCall>> calls = new();
    private readonly ConcurrentQueue<PushedMessage> pushes = new();
    private readonly ConcurrentQueue<string> unexpected = new();

    private FakePlatforms(FakeDifyServer dify, FakeWeChatApi weChatApi)
    {
        this.dify = dify;
        this.weChatApi = weChatApi;
        dify.Behaviour = ChatAsync;
        weChatApi.Accepted += (toUser, content) => pushes.Enqueue(new PushedMessage(toUser, content, BenchClock.NowMs));
    }

    /// <summary>For <c>Dify:BaseUrl</c>.</summary>
    public string DifyBaseUrl => dify.BaseUrl;

    /// <summary>For <c>WeChat:ApiBaseUrl</c>.</summary>
    public string WeChatApiBaseUrl => weChatApi.BaseUrl;

    public int TypingCalls => weChatApi.Typing.Count;

    public IReadOnlyCollection<PushedMessage> Pushes => pushes;

    /// <summary>
    /// Requests nothing here expected (a wrong path, a bad key, an unknown question, a push the platform would
    /// refuse): each is a bench failure.
    /// </summary>
    public IReadOnlyCollection<string> Unexpected
    {
        get
        {
            var all = new List<string>(unexpected);
            all.AddRange(weChatApi.Unexpected);
            var refused = weChatApi.SendAttempts - weChatApi.Sent.Count;
            if (refused > 0)
            {
                all.Add($"{refused} custom/send calls refused by the WeChat API");
            }

            return all;
        }
    }

    public IReadOnlyList<DifyCall> CallsFor(string query) => calls.TryGetValue(query, out var list) ? list.ToList() : [];

    public IEnumerable<DifyCall> AllCalls => calls.Values.SelectMany(q => q);

    public static async Task<FakePlatforms> StartAsync(WeChatAccount account)
    {
        var dify = await FakeDifyServer.StartAsync();
        var weChatApi = new FakeWeChatApi(account.AppId, account.AppSecret);
        await weChatApi.StartAsync();
        return new FakePlatforms(dify, weChatApi);
    }

    private async Task ChatAsync(FakeDifyCall request, HttpContext http)
    {
        var received = BenchClock.NowMs;
        if (!request.IsChat)
        {
            unexpected.Enqueue($"{request.Method} {request.Path}");
            await FakeDifySse.ErrorAsync(http, 404, "not_found", "The requested URL was not found on the server.");
            return;
        }

        if (request.Authorization != $"Bearer {DifyApiKey}")
        {
            unexpected.Enqueue("chat-messages with a wrong or missing API key");
            await FakeDifySse.ErrorAsync(http, 401, "unauthorized", "Access token is invalid");
            return;
        }

        var query = request.Query ?? "";
        var call = new DifyCall(query, request.User ?? "", request.ConversationId, received);
        calls.GetOrAdd(query, _ => new ConcurrentQueue<DifyCall>()).Enqueue(call);

        if (BenchQuestion.LatencyOf(query) is not { } latency || BenchQuestion.AnswerFor(query) is not { } answer)
        {
            unexpected.Enqueue($"chat-messages for a question the bench never asked: {query}");
            await FakeDifySse.ErrorAsync(http, 400, "invalid_param", "not a bench question");
            return;
        }

        var ct = http.RequestAborted;
        var conversation = request.ConversationId ?? Guid.NewGuid().ToString();
        var messageId = Guid.NewGuid().ToString();
        try
        {
            await FakeDifySse.BeginStreamAsync(http);
            var chunks = BenchQuestion.Chunks(answer, ChunkCount);
            var streamFrom = received + latency * (1 - StreamingShare);
            for (var i = 0; i < chunks.Count; i++)
            {
                await PingUntilAsync(http, streamFrom + latency * StreamingShare * i / chunks.Count, ct);
                await FakeDifySse.SendEventAsync(http, FakeDifySse.Message(chunks[i], conversation, messageId));
            }

            await PingUntilAsync(http, received + latency, ct);
            await FakeDifySse.SendEventAsync(http, FakeDifySse.MessageEnd(conversation, messageId, (10, 20)));
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
            await FakeDifySse.SendPingAsync(http);
        }

        await BenchClock.UntilAsync(instantMs, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await dify.DisposeAsync();
        await weChatApi.DisposeAsync();
    }
}
