using System.Globalization;

namespace WinterAI.Bench;

/// <summary>
/// Runs one configuration end to end: fresh fakes, a fresh redis-server if needed, fresh WinterAI processes, every
/// follower, then tears it all down. Nothing carries over between configurations.
/// </summary>
public sealed class ConfigurationRun(BenchConfiguration configuration, BenchOptions options, HttpClient http, string runDirectory)
{
    /// <summary>Time for the instances to settle (JIT, first Redis connection) before the first follower asks.</summary>
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(1);

    /// <summary>Start-up with several instances on two shared cores can be slow.</summary>
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    /// <summary>SIGTERM, so each instance shuts down as under an orchestrator and writes its last log lines; SIGKILL after this.</summary>
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

    /// <summary>The official account the bench plays WeChat for (safe mode).</summary>
    private static readonly WeChatAccount Account = WeChatAccount.Default with { OriginalId = "gh_bench_account", AppSecret = "bench-app-secret" };

    public async Task<ConfigurationReport> RunAsync(CancellationToken ct)
    {
        await using var platforms = await FakePlatforms.StartAsync(Account);
        await using var redis = configuration.Redis ? await RedisServer.StartAsync(logPath: LogPath("redis"), ct: ct) : null;

        var settings = new Dictionary<string, string?>
        {
            ["WeChat__Token"] = Account.Token,
            ["WeChat__AppId"] = Account.AppId,
            ["WeChat__EncodingAESKey"] = Account.EncodingAesKey,
            ["Dify__BaseUrl"] = platforms.DifyBaseUrl,
            ["Dify__ApiKey"] = FakePlatforms.DifyApiKey,
            ["Limits__PerMinute"] = "0",
            ["Limits__PerDay"] = "0",
            ["Limits__MaxConcurrentDifyCalls"] = "1000",
        };
        if (redis is not null)
        {
            settings["Redis__Configuration"] = redis.ConnectionString;
        }

        if (configuration.Push)
        {
            settings["WeChat__CustomerServicePush"] = "true";
            settings["WeChat__AppSecret"] = Account.AppSecret;
            settings["WeChat__ApiBaseUrl"] = platforms.WeChatApiBaseUrl;
        }

        foreach (var (key, value) in options.Overrides)
        {
            settings[key] = value;
        }

        settings["NO_PROXY"] = "127.0.0.1,localhost";
        // Without a formatter name the console logger copies its obsolete options over these.
        settings["Logging__Console__FormatterName"] = "simple";
        settings["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        settings["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true";
        settings["Logging__Console__FormatterOptions__SingleLine"] = "true";

        var instances = new List<WinterAIProcess>();
        try
        {
            for (var i = 0; i < configuration.Instances; i++)
            {
                var name = $"{(char)('A' + i)}";
                instances.Add(await WinterAIProcess.StartAsync(settings, new WinterAIProcessOptions
                {
                    WebDll = options.WebDll,
                    Name = $"winterai-{name}",
                    LogPath = LogPath($"winterai-{name}"),
                    StartDeadline = StartDeadline,
                    ShutdownGrace = ShutdownGrace,
                }, ct));
            }

            var wechat = new WeChatStandIn(http, instances.Select(i => i.BaseUrl).ToList(), Account);
            var script = new FollowerScript(wechat, platforms, configuration.Push);
            var questions = BenchQuestion.Generate(options.Followers, options.Seed);
            var startedAt = BenchClock.NowMs + Warmup.TotalMilliseconds;
            var spacing = questions.Count > 1 ? options.Ramp.TotalMilliseconds / (questions.Count - 1) : 0;
            Console.Error.WriteLine($"[{configuration.Name}] {configuration.Description}: {questions.Count} followers over {options.Ramp.TotalSeconds:0.#} s, instances at {string.Join(", ", instances.Select(i => i.BaseUrl))}");
            using var progress = ReportProgress(configuration.Name, platforms, ct);
            var followers = await Task.WhenAll(questions.Select(q => script.RunAsync(q, startedAt + q.Follower * spacing, ct)));
            var wall = TimeSpan.FromMilliseconds(BenchClock.NowMs - startedAt);

            var crashed = instances.Where(i => i.HasExited).Select(i => i.LogPath!).ToList();
            return new ConfigurationReport(configuration, followers, platforms, wall, crashed, instances.Select(i => i.LogPath!).ToList());
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    private string LogPath(string name) => Path.Combine(runDirectory, $"{configuration.Name}-{name}.log");

    /// <summary>A line every 5 s on stderr, so a long run visibly moves.</summary>
    private static Timer ReportProgress(string name, FakePlatforms platforms, CancellationToken ct) =>
        new(_ =>
        {
            if (ct.IsCancellationRequested)
            {
                return;
            }

            var calls = platforms.AllCalls.ToList();
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{name}] {BenchClock.NowMs / 1000:F0} s: {calls.Count} Dify calls, {calls.Count(c => c.EndedAtMs is null && !c.Aborted)} running, {platforms.Pushes.Count} pushes"));
        }, null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
}
