namespace WinterAI.Testing;

/// <summary>
/// WinterAI.Web as operators run it: <c>dotnet WinterAI.Web.dll</c> as a real process (its own Kestrel, its own
/// memory) on a loopback port, configured through environment variables only — <c>WeChat:Token</c> becomes
/// <c>WeChat__Token</c>. Ready once <c>GET /healthz</c> answers 200.
/// </summary>
public sealed class WinterAIProcess : IAsyncDisposable
{
    /// <summary>Inherited settings must not leak into the instance under test: only what the caller sets counts.</summary>
    private static readonly string[] ScrubbedPrefixes = ["WeChat__", "Dify__", "Redis__", "Limits__", "Messages__"];

    private readonly ChildProcess process;

    private WinterAIProcess(ChildProcess process, int port)
    {
        this.process = process;
        Port = port;
        BaseUrl = $"http://127.0.0.1:{port}";
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(BaseUrl) };
    }

    public int Port { get; }

    /// <summary><c>http://127.0.0.1:{port}</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>A client whose base address is the instance.</summary>
    public HttpClient Client { get; }

    /// <summary>Everything the process wrote so far (for assertions on logs and for failure messages).</summary>
    public string Output => process.Output;

    /// <summary>Where the output goes, when <see cref="WinterAIProcessOptions.LogPath"/> named a file.</summary>
    public string? LogPath => process.LogPath;

    public bool HasExited => process.HasExited;

    /// <param name="configuration">ASP.NET configuration keys (<c>WeChat:Token</c> or <c>WeChat__Token</c>) and their values.</param>
    /// <param name="port">The port to listen on (see <see cref="LoopbackPort.Free"/>), for configuration that must name it; default any free one.</param>
    /// <param name="workingDirectory">Where the process starts; default the app's own directory, where its appsettings.json is.</param>
    public static Task<WinterAIProcess> StartAsync(IReadOnlyDictionary<string, string?> configuration, int? port = null, string? workingDirectory = null) =>
        StartAsync(configuration, new WinterAIProcessOptions { Port = port, WorkingDirectory = workingDirectory });

    public static async Task<WinterAIProcess> StartAsync(IReadOnlyDictionary<string, string?> configuration, WinterAIProcessOptions options, CancellationToken ct = default)
    {
        var webDll = options.WebDll ?? Path.Combine(AppContext.BaseDirectory, "WinterAI.Web.dll");
        for (var attempt = 1; ; attempt++)
        {
            var port = options.Port ?? LoopbackPort.Free();
            var environment = Environment(configuration, port);
            var process = ChildProcess.Start(options.Name, "dotnet", [webDll], environment, options.LogPath,
                options.WorkingDirectory ?? Path.GetDirectoryName(webDll), options.ShutdownGrace);
            var winterAI = new WinterAIProcess(process, port);
            try
            {
                await winterAI.WaitUntilHealthyAsync(options.StartDeadline, ct);
                return winterAI;
            }
            catch (InvalidOperationException) when (attempt < 2 && options.Port is null
                                                    && winterAI.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await winterAI.DisposeAsync();
            }
            catch
            {
                await winterAI.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>SIGTERM, as docker stop or systemd would send, then waits for the process to exit by itself.</summary>
    public Task StopGracefullyAsync(TimeSpan deadline) => process.TerminateAsync(deadline);

    /// <summary>SIGKILL: the instance dies mid-work, as on a crash or a lost machine, releasing nothing.</summary>
    public void Kill() => process.Kill();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await process.DisposeAsync();
    }

    private static Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string?> configuration, int port)
    {
        var environment = new Dictionary<string, string?>();
        foreach (var key in System.Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (ScrubbedPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                environment[key] = null;
            }
        }

        foreach (var (key, value) in configuration)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
        }

        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return environment;
    }

    private async Task WaitUntilHealthyAsync(TimeSpan deadline, CancellationToken ct)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"WinterAI ({process.Name}) exited with {process.ExitCode} at start-up:\n{Output}");
            }

            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                using var response = await Client.GetAsync("/healthz", timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException || ex is OperationCanceledException && !ct.IsCancellationRequested)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }

        throw new TimeoutException($"WinterAI ({process.Name}) did not answer /healthz within {deadline}:\n{process.Tail()}");
    }
}
