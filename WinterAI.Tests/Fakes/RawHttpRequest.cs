using System.Net.Sockets;
using System.Text;

namespace WinterAI.Tests.Fakes;

/// <summary>
/// An HTTP/1.1 request written by hand on a socket, so a test can send the head and only part of the body (or
/// trickle it) and see what the server answers before the rest would have arrived.
/// </summary>
public sealed class RawHttpRequest : IAsyncDisposable
{
    private readonly TcpClient tcp;
    private readonly NetworkStream stream;

    private RawHttpRequest(TcpClient tcp)
    {
        this.tcp = tcp;
        stream = tcp.GetStream();
    }

    public static async Task<RawHttpRequest> OpenAsync(int port, string method, string pathAndQuery, IReadOnlyDictionary<string, string> headers)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var request = new RawHttpRequest(tcp);
        var head = new StringBuilder($"{method} {pathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        await request.SendAsync(head.Append("\r\n").ToString());
        return request;
    }

    /// <summary>Sends part of the body; false when the server has already closed the connection.</summary>
    public async Task<bool> SendAsync(string text)
    {
        try
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text));
            await stream.FlushAsync();
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The status code of the response, or null when none arrived before <paramref name="deadline"/> or the connection closed without one.</summary>
    public async Task<int?> ReadStatusAsync(TimeSpan deadline)
    {
        using var cts = new CancellationTokenSource(deadline);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            while (!received.ToString().Contains("\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, cts.Token);
                if (read == 0)
                {
                    return null;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            return null;
        }

        // "HTTP/1.1 401 Unauthorized"
        return int.Parse(received.ToString().Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync()
    {
        tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
