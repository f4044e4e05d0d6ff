using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WinterAI.Bench;

/// <summary>A throw-away redis-server on a free loopback port, nothing persisted; one per configuration, so runs share no state.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly ChildProcess process;

    private RedisServer(ChildProcess process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync(string logPath, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = ChildProcess.FreePort();
            var process = ChildProcess.Start("redis-server", "redis-server",
                ["--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"],
                new Dictionary<string, string>(), logPath);
            var server = new RedisServer(process, port);
            if (await server.WaitForPingAsync(TimeSpan.FromSeconds(15), ct))
            {
                return server;
            }

            var tail = process.Tail();
            await process.DisposeAsync();
            // The free port can be taken by someone else before redis binds it.
            if (attempt >= 3)
            {
                throw new InvalidOperationException($"redis-server did not answer PING on port {port}:\n{tail}");
            }
        }
    }

    private async Task<bool> WaitForPingAsync(TimeSpan limit, CancellationToken ct)
    {
        var deadline = BenchClock.NowMs + limit.TotalMilliseconds;
        while (BenchClock.NowMs < deadline && !process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(1));
                await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
                var buffer = new byte[64];
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
            {
            }

            await Task.Delay(50, ct);
        }

        return false;
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
