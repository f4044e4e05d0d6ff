using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WinterAI.Testing;

/// <summary>
/// One command to a Redis server, Sentinel or Cluster node on loopback, over a bare RESP connection: the launchers
/// check a topology with it without depending on the client under test.
/// </summary>
public static class RedisWire
{
    /// <summary>
    /// Sends <paramref name="arguments"/> as one command and returns the reply: a string (simple or bulk), a
    /// <see cref="long"/>, null, or a list of those. A Redis error reply throws <see cref="InvalidOperationException"/>;
    /// a refused or dropped connection throws <see cref="IOException"/> or <see cref="SocketException"/>. Bulk lengths
    /// are read as characters: meant for the ASCII replies of admin commands, not for arbitrary values.
    /// </summary>
    public static async Task<object?> CommandAsync(int port, IReadOnlyList<string> arguments, CancellationToken ct = default) =>
        await CommandAsync(port, arguments, password: null, ct);

    /// <summary>As <see cref="CommandAsync(int, IReadOnlyList{string}, CancellationToken)"/>, after <c>AUTH</c> when <paramref name="password"/> is set.</summary>
    public static async Task<object?> CommandAsync(int port, IReadOnlyList<string> arguments, string? password, CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        if (password is not null)
        {
            await stream.WriteAsync(Encode(["AUTH", password]), timeout.Token);
            await ReadAsync(reader, timeout.Token);
        }

        await stream.WriteAsync(Encode(arguments), timeout.Token);
        return await ReadAsync(reader, timeout.Token);
    }

    /// <summary>
    /// True when the Redis answering on <paramref name="port"/> is the process <paramref name="processId"/>: a free
    /// port picked for a new server can be taken meanwhile by another test run's server, which would answer PING too.
    /// </summary>
    public static async Task<bool> IsProcessAsync(int port, int processId, string? password, CancellationToken ct = default) =>
        await CommandAsync(port, ["INFO", "server"], password, ct) is string info
        && info.Contains($"process_id:{processId}\r\n", StringComparison.Ordinal);

    private static byte[] Encode(IReadOnlyList<string> arguments)
    {
        var command = new StringBuilder($"*{arguments.Count}\r\n");
        foreach (var argument in arguments)
        {
            command.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(argument)}\r\n{argument}\r\n");
        }

        return Encoding.UTF8.GetBytes(command.ToString());
    }

    private static async Task<object?> ReadAsync(StreamReader reader, CancellationToken ct)
    {
        var line = await reader.ReadLineAsync(ct) ?? throw new IOException("Redis closed the connection before answering.");
        var rest = line[1..];
        switch (line[0])
        {
            case '+':
                return rest;
            case '-':
                throw new InvalidOperationException(rest);
            case ':':
                return long.Parse(rest, CultureInfo.InvariantCulture);
            case '$':
                var length = int.Parse(rest, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return null;
                }

                var buffer = new char[length + 2];
                await reader.ReadBlockAsync(buffer, ct);
                return new string(buffer, 0, length);
            case '*':
                var count = int.Parse(rest, CultureInfo.InvariantCulture);
                if (count < 0)
                {
                    return null;
                }

                var items = new List<object?>(count);
                for (var i = 0; i < count; i++)
                {
                    items.Add(await ReadAsync(reader, ct));
                }

                return items;
            default:
                throw new IOException($"Unexpected RESP reply: {line}");
        }
    }
}
