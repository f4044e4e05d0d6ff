using System.Net.Sockets;

namespace WinterAI.Testing;

/// <summary>
/// A throw-away Redis Cluster on loopback: three masters and three replicas made with
/// <c>redis-cli --cluster create … --cluster-replicas 1</c>, nothing persisted. <see cref="StartAsync"/> returns once
/// every node reports <c>cluster_state:ok</c>. Throws <see cref="RedisServerNotFoundException"/> when redis-server or
/// redis-cli is not installed.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    public const string NotOnPathMessage = "redis-cli is not on PATH (apt-get install redis-tools); Cluster tests skipped";

    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(30);

    private readonly List<RedisServer> nodes = [];

    public IReadOnlyList<RedisServer> Nodes => nodes;

    /// <summary>For <c>Redis:Configuration</c>: every node, as an operator would list them.</summary>
    public string ConnectionString => string.Join(",", nodes.Select(node => $"127.0.0.1:{node.Port}"));

    /// <exception cref="RedisServerNotFoundException">redis-server or redis-cli is not on PATH.</exception>
    public static async Task<RedisCluster> StartAsync(CancellationToken ct = default)
    {
        var cli = RedisServer.FindExecutable("redis-cli") ?? throw new RedisServerNotFoundException(NotOnPathMessage);
        if (RedisServer.FindExecutable() is null)
        {
            throw new RedisServerNotFoundException(RedisServer.NotOnPathMessage);
        }

        var cluster = new RedisCluster();
        try
        {
            for (var i = 0; i < 6; i++)
            {
                // Each node keeps its view of the cluster in nodes.conf in its own working directory.
                cluster.nodes.Add(await RedisServer.StartAsync(
                    arguments: _ => ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"],
                    ct: ct));
            }

            await cluster.CreateAsync(cli, ct);
            await cluster.WaitUntilOkAsync(ct);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
    }

    private async Task CreateAsync(string cli, CancellationToken ct)
    {
        string[] arguments = ["--cluster", "create", .. nodes.Select(node => $"127.0.0.1:{node.Port}"), "--cluster-replicas", "1", "--cluster-yes"];
        var create = ChildProcess.Start("redis-cli --cluster create", cli, arguments, new Dictionary<string, string?>());
        await using (create)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(ReadyDeadline);
            try
            {
                await create.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new InvalidOperationException($"redis-cli --cluster create did not finish within {ReadyDeadline}. Its output:\n{create.Output}");
            }

            if (create.ExitCode != 0)
            {
                throw new InvalidOperationException($"redis-cli --cluster create failed with exit code {create.ExitCode}. Its output:\n{create.Output}");
            }
        }
    }

    private async Task WaitUntilOkAsync(CancellationToken ct)
    {
        var started = TimeProvider.System.GetTimestamp();
        var last = "";
        while (TimeProvider.System.GetElapsedTime(started) < ReadyDeadline)
        {
            last = await NotOkBecauseAsync(ct);
            if (last.Length == 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }

        throw new InvalidOperationException($"The Cluster was not ok within {ReadyDeadline}: {last}");
    }

    private async Task<string> NotOkBecauseAsync(CancellationToken ct)
    {
        foreach (var node in nodes)
        {
            try
            {
                var info = await RedisWire.CommandAsync(node.Port, ["CLUSTER", "INFO"], ct) as string ?? "";
                if (!info.Contains("cluster_state:ok", StringComparison.Ordinal))
                {
                    return $"node {node.Port} says: {info.Split('\n').FirstOrDefault()?.Trim()}";
                }
            }
            catch (Exception e) when (e is InvalidOperationException or SocketException or IOException)
            {
                return $"node {node.Port}: {e.Message}";
            }
        }

        return "";
    }
}
