using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WinterAI.Testing;

/// <summary>
/// A real, throw-away <c>redis-server</c> on a free loopback port, with nothing persisted, so users share no state.
/// <see cref="StartAsync"/> throws <see cref="RedisServerNotFoundException"/> when redis-server is not installed
/// (tests turn that into "ignored"). Stop/start again (same port) and freeze/thaw simulate a crashed or a hung Redis.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string NotOnPathMessage = "redis-server is not on PATH; Redis-backed tests skipped";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(15);

    private readonly string executable;
    private readonly string? logPath;
    private readonly IReadOnlyList<string> extraArguments;

    // Its own working directory: a replica writes the RDB it receives there, and every redis-server started in the
    // same directory would load that file at start-up and stop being empty.
    private readonly string directory = Directory.CreateTempSubdirectory("winterai-redis-").FullName;
    private ChildProcess? process;

    private RedisServer(string executable, int port, string? password, string? logPath, IReadOnlyList<string> extraArguments)
    {
        this.executable = executable;
        this.logPath = logPath;
        this.extraArguments = extraArguments;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string? Password { get; }

    /// <summary>For <c>Redis:Configuration</c>.</summary>
    public string ConnectionString => Password is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},password={Password}";

    public bool IsRunning => process is { HasExited: false };

    /// <summary>The full path of redis-server, or null when it is not on PATH.</summary>
    public static string? FindExecutable() => FindExecutable("redis-server");

    /// <summary>The full path of a Redis program (redis-server, redis-sentinel, redis-cli), or null when it is not on PATH.</summary>
    public static string? FindExecutable(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, OperatingSystem.IsWindows() ? $"{name}.exe" : name))
            .FirstOrDefault(File.Exists);

    /// <summary>Starts a server and waits until it answers PING.</summary>
    /// <param name="logPath">Where its output goes; by default it is kept in memory, for the error when it does not start.</param>
    /// <param name="arguments">More redis-server arguments, given the port it was given (a replica's <c>--replicaof</c>, a Cluster node's settings).</param>
    /// <exception cref="RedisServerNotFoundException">redis-server is not on PATH.</exception>
    public static async Task<RedisServer> StartAsync(
        string? password = null,
        string? logPath = null,
        Func<int, IEnumerable<string>>? arguments = null,
        CancellationToken ct = default)
    {
        var executable = FindExecutable() ?? throw new RedisServerNotFoundException(NotOnPathMessage);

        // The free port we pick can be taken by someone else before redis binds it; try a few.
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPort.Free();
            var server = new RedisServer(executable, port, password, logPath, [.. arguments?.Invoke(port) ?? []]);
            try
            {
                await server.StartAgainAsync(ct);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>Kills the process, as a crash would: clients see their connections drop.</summary>
    public async Task StopAsync()
    {
        if (process is null)
        {
            return;
        }

        await process.DisposeAsync();
        process = null;
    }

    /// <summary>Starts on the same port again (empty: nothing was persisted) and waits until it answers PING.</summary>
    public async Task StartAgainAsync(CancellationToken ct = default)
    {
        if (IsRunning)
        {
            return;
        }

        await StopAsync();
        process = ChildProcess.Start("redis-server", executable, Arguments(), new Dictionary<string, string?>(), logPath);
        await WaitUntilAnsweringAsync(ct);
    }

    /// <summary>Suspends the process (SIGSTOP): connections stay open but nothing is answered, like a hung server.</summary>
    public Task FreezeAsync() => Running().SignalAsync("STOP");

    /// <summary>Resumes a frozen server; it then answers what it was sent meanwhile.</summary>
    public Task ThawAsync() => Running().SignalAsync("CONT");

    /// <summary>Kills the process: nothing is persisted, so there is nothing to shut down gracefully, and a frozen one ignores SIGTERM.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    private ChildProcess Running() => process ?? throw new InvalidOperationException("redis-server is not running.");

    private IEnumerable<string> Arguments()
    {
        string[] arguments = ["--port", $"{Port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning", "--dir", directory];
        return Password is null ? [.. arguments, .. extraArguments] : [.. arguments, "--requirepass", Password, .. extraArguments];
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken ct)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < StartDeadline && IsRunning)
        {
            if (await AnswersPingAsync(ct))
            {
                if (await RedisWire.IsProcessAsync(Port, Running().Id, Password, ct))
                {
                    return;
                }

                await StopAsync();
                throw new InvalidOperationException($"Port {Port} is taken by another Redis; this redis-server could not bind it.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), ct);
        }

        var output = Running().Output;
        await StopAsync();
        throw new InvalidOperationException($"redis-server on port {Port} did not answer PING within {StartDeadline}. Its output:\n{output}");
    }

    private async Task<bool> AnswersPingAsync(CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            var stream = client.GetStream();
            var command = Password is null ? "PING\r\n" : $"AUTH {Password}\r\nPING\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command), timeout.Token);
            var buffer = new byte[256];
            var received = new StringBuilder();
            while (!received.ToString().Contains("+PONG", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return false;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            return true;
        }
        catch (Exception e) when (e is SocketException or IOException || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
