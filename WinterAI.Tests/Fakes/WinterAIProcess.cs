using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WinterAI.Tests.Fakes;

/// <summary>
/// WinterAI.Web as a real process (its own Kestrel, its own memory), configured through environment variables
/// exactly as an operator would: <c>WeChat:Token</c> becomes <c>WeChat__Token</c>.
/// </summary>
public sealed class WinterAIProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);
    private readonly Process process;
    private readonly StringBuilder output = new();

    private WinterAIProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public int Port { get; }

    public HttpClient Client { get; }

    /// <summary>Everything the process wrote so far (for assertions on logs and for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <param name="port">The port to listen on (see <see cref="FreePort"/>), for configuration that must name it; default any free one.</param>
    /// <param name="workingDirectory">Where the process starts; default the app's own directory, where its appsettings.json is.</param>
    public static async Task<WinterAIProcess> StartAsync(IReadOnlyDictionary<string, string?> configuration, int? port = null, string? workingDirectory = null)
    {
        port ??= FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "WinterAI.Web.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in configuration)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
        }

        var winterAI = new WinterAIProcess(Process.Start(start)!, port.Value);
        winterAI.process.OutputDataReceived += (_, e) => winterAI.Append(e.Data);
        winterAI.process.ErrorDataReceived += (_, e) => winterAI.Append(e.Data);
        winterAI.process.BeginOutputReadLine();
        winterAI.process.BeginErrorReadLine();
        try
        {
            await winterAI.WaitUntilHealthyAsync();
            return winterAI;
        }
        catch
        {
            await winterAI.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow + StartDeadline;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"WinterAI exited with {process.ExitCode} at start-up:\n{Output}");
            }

            try
            {
                using var response = await Client.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"WinterAI did not become healthy within {StartDeadline}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>SIGTERM, as docker stop or systemd would send, then waits for the process to exit by itself.</summary>
    public async Task StopGracefullyAsync(TimeSpan deadline)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(deadline);
        await process.WaitForExitAsync(timeout.Token);
    }

    public bool HasExited => process.HasExited;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
