using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WinterAI.Tests.Fakes;

/// <summary>
/// A real, throw-away <c>redis-server</c> on a free loopback port, with nothing persisted. Tests that need one call
/// <see cref="StartAsync"/>, which ignores the test when redis-server is not installed.
/// Stop/start again (same port) and freeze/thaw let tests simulate a crashed or a hung Redis.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string NotOnPathMessage = "redis-server is not on PATH; Redis-backed tests skipped";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(15);

    private readonly string _executable;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private RedisServer(string executable, int port, string? password)
    {
        _executable = executable;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string? Password { get; }

    /// <summary>For <c>Redis:Configuration</c>.</summary>
    public string ConnectionString => Password is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},password={Password}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The full path of redis-server, or null when it is not on PATH.</summary>
    public static string? FindExecutable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, OperatingSystem.IsWindows() ? "redis-server.exe" : "redis-server"))
            .FirstOrDefault(File.Exists);

    /// <summary>Starts a server and waits until it answers PING; ignores the calling test when redis-server is missing.</summary>
    public static async Task<RedisServer> StartAsync(string? password = null)
    {
        var executable = FindExecutable();
        if (executable is null)
        {
            Assert.Ignore(NotOnPathMessage);
        }

        // The free port we pick can be taken by someone else before redis binds it; try a few.
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(executable, FreePort(), password);
            try
            {
                await server.StartAgainAsync();
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
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts on the same port again (empty: nothing was persisted) and waits until it answers PING.</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var start = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments())
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {_executable}.");
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilAnsweringAsync();
    }

    /// <summary>Suspends the process (SIGSTOP): connections stay open but nothing is answered, like a hung server.</summary>
    public Task FreezeAsync() => SignalAsync("-STOP");

    /// <summary>Resumes a frozen server; it then answers what it was sent meanwhile.</summary>
    public Task ThawAsync() => SignalAsync("-CONT");

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            // A frozen process ignores SIGTERM but not SIGKILL, which Kill sends.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    private IEnumerable<string> Arguments()
    {
        string[] arguments = ["--port", $"{Port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"];
        return Password is null ? arguments : [.. arguments, "--requirepass", Password];
    }

    private async Task WaitUntilAnsweringAsync()
    {
        var started = Stopwatch.StartNew();
        while (started.Elapsed < StartDeadline)
        {
            if (_process is null || _process.HasExited)
            {
                break;
            }

            if (await AnswersPingAsync())
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25));
        }

        var output = Output();
        await StopAsync();
        throw new InvalidOperationException($"redis-server on port {Port} did not answer PING within {StartDeadline}. Its output:\n{output}");
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
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
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private async Task SignalAsync(string signal)
    {
        var process = _process ?? throw new InvalidOperationException("redis-server is not running.");
        using var kill = Process.Start("kill", [signal, $"{process.Id}"]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {process.Id} failed with exit code {kill.ExitCode}.");
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
