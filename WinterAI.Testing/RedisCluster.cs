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

    /// <summary>
    /// A master and the replica that follows it, from <c>CLUSTER NODES</c>, once the replica is in sync (a Cluster just
    /// created attaches its replicas over a few seconds; a master killed before then could not be failed over).
    /// </summary>
    public async Task<(RedisServer Master, RedisServer Replica)> MasterWithReplicaAsync(CancellationToken ct = default)
    {
        var started = TimeProvider.System.GetTimestamp();
        var table = "";
        while (TimeProvider.System.GetElapsedTime(started) < ReadyDeadline)
        {
            table = await RedisWire.CommandAsync(nodes.First(node => node.IsRunning).Port, ["CLUSTER", "NODES"], ct) as string ?? "";
            // <id> <ip:port@cport> <flags> <master id or -> …
            var rows = table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')).ToList();
            foreach (var replica in rows.Where(row => row[2].Contains("slave", StringComparison.Ordinal)))
            {
                if (rows.FirstOrDefault(row => row[0] == replica[3]) is { } master
                    && await RedisWire.CommandAsync(NodeAt(replica[1]).Port, ["ROLE"], ct) is List<object?> { Count: 5 } role
                    && role[3] is "connected")
                {
                    return (NodeAt(master[1]), NodeAt(replica[1]));
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }

        throw new InvalidOperationException($"No master with an in-sync replica within {ReadyDeadline}. CLUSTER NODES:\n{table}");
    }

    /// <summary>Waits until <paramref name="node"/> says it is a master (a replica promoted after its master failed).</summary>
    public static async Task WaitUntilMasterAsync(RedisServer node, TimeSpan deadline, CancellationToken ct = default)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < deadline)
        {
            if (await RedisWire.CommandAsync(node.Port, ["ROLE"], ct) is List<object?> { Count: > 0 } role && role[0] is "master")
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        }

        throw new InvalidOperationException($"Node {node.Port} was not promoted to master within {deadline}.");
    }

    private RedisServer NodeAt(string address)
    {
        var port = int.Parse(address.Split('@')[0].Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
        return nodes.Single(node => node.Port == port);
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
