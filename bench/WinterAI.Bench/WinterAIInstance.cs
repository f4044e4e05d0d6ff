namespace WinterAI.Bench;

/// <summary>
/// WinterAI.Web as operators run it: <c>dotnet WinterAI.Web.dll</c>, configured by environment variables only, on a
/// free loopback port. Ready once <c>GET /healthz</c> answers.
/// </summary>
public sealed class WinterAIInstance : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private readonly ChildProcess process;

    private WinterAIInstance(ChildProcess process, string baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public string LogPath => process.LogPath;

    public bool HasExited => process.HasExited;

    public static async Task<WinterAIInstance> StartAsync(string name, string webDll, IReadOnlyDictionary<string, string> settings, string logPath, HttpClient http, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = ChildProcess.FreePort();
            var url = $"http://127.0.0.1:{port}";
            var environment = new Dictionary<string, string>(settings)
            {
                ["ASPNETCORE_URLS"] = url,
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["NO_PROXY"] = "127.0.0.1,localhost",
                // Without a formatter name the console logger copies its obsolete options over these.
                ["Logging__Console__FormatterName"] = "simple",
                ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
                ["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
                ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            };
            // From the build output directory, as operators run it: that is where appsettings.json is found.
            var process = ChildProcess.Start(name, "dotnet", [webDll], environment, logPath, Path.GetDirectoryName(webDll));
            var instance = new WinterAIInstance(process, url);
            if (await instance.WaitUntilHealthyAsync(http, ct))
            {
                return instance;
            }

            var tail = process.Tail();
            await process.DisposeAsync();
            if (attempt >= 2 || !tail.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"WinterAI instance {name} did not answer /healthz within {StartDeadline.TotalSeconds} s. Its output:\n{tail}");
            }
        }
    }

    private async Task<bool> WaitUntilHealthyAsync(HttpClient http, CancellationToken ct)
    {
        var deadline = BenchClock.NowMs + StartDeadline.TotalMilliseconds;
        while (BenchClock.NowMs < deadline && !process.HasExited)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                using var response = await http.GetAsync($"{BaseUrl}/healthz", timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
            {
            }

            await Task.Delay(100, ct);
        }

        return false;
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
