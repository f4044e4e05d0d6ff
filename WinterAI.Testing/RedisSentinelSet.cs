using System.Globalization;
using System.Net.Sockets;

namespace WinterAI.Testing;

/// <summary>
/// A throw-away Sentinel deployment on loopback: a master, two replicas and three <c>redis-sentinel</c> processes
/// monitoring it as <see cref="ServiceName"/> with a quorum of two, nothing persisted. <see cref="StartAsync"/> returns
/// once every sentinel knows the master and both replicas, the three know each other (<c>SENTINEL CKQUORUM</c>) and the
/// replicas are in sync. Two replicas, because with <c>min-replicas-to-write 1</c> a master promoted after its old one
/// died needs a replica of its own to take writes.
/// Throws <see cref="RedisServerNotFoundException"/> when redis-server or redis-sentinel is not installed.
/// </summary>
public sealed class RedisSentinelSet : IAsyncDisposable
{
    public const string ServiceName = "winterai";

    public const string NotOnPathMessage = "redis-sentinel is not on PATH (apt-get install redis-sentinel); Sentinel tests skipped";

    /// <summary>
    /// What the README tells operators to set: a master that has lost its replica (cut off from the others, or already
    /// replaced by a failover but not yet demoted) refuses writes instead of acknowledging writes that are thrown away
    /// when it rejoins as a replica. The replica gets it too, for when it is promoted. Without the sync delay a master
    /// waits 5 s for more replicas before it sends the first one its data, refusing writes all that time.
    /// </summary>
    private static readonly string[] ServerSettings =
        ["--min-replicas-to-write", "1", "--min-replicas-max-lag", "10", "--repl-diskless-sync-delay", "0"];

    /// <summary>Sentinels find each other through hello messages every 2 s; allow several rounds on a busy machine.</summary>
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(30);

    private readonly string directory;
    private readonly List<ChildProcess> sentinels = [];
    private readonly List<int> sentinelPorts = [];

    private RedisSentinelSet(string directory, RedisServer master, RedisServer replica, RedisServer spare)
    {
        this.directory = directory;
        Master = master;
        Replica = replica;
        Spare = spare;
    }

    public RedisServer Master { get; }

    public RedisServer Replica { get; }

    /// <summary>The second replica.</summary>
    public RedisServer Spare { get; }

    public IReadOnlyList<int> SentinelPorts => sentinelPorts;

    /// <summary>For <c>Redis:Configuration</c>: every sentinel, and the service they monitor.</summary>
    public string ConnectionString =>
        string.Join(",", sentinelPorts.Select(port => $"127.0.0.1:{port}")) + $",serviceName={ServiceName}";

    /// <exception cref="RedisServerNotFoundException">redis-server or redis-sentinel is not on PATH.</exception>
    public static async Task<RedisSentinelSet> StartAsync(CancellationToken ct = default)
    {
        var sentinel = RedisServer.FindExecutable("redis-sentinel") ?? throw new RedisServerNotFoundException(NotOnPathMessage);
        var master = await RedisServer.StartAsync(arguments: _ => ServerSettings, ct: ct);
        var directory = Directory.CreateTempSubdirectory("winterai-sentinel-").FullName;
        RedisSentinelSet? set = null;
        try
        {
            var replica = await RedisServer.StartAsync(arguments: _ => ["--replicaof", "127.0.0.1", $"{master.Port}", .. ServerSettings], ct: ct);
            RedisServer spare;
            try
            {
                spare = await RedisServer.StartAsync(arguments: _ => ["--replicaof", "127.0.0.1", $"{master.Port}", .. ServerSettings], ct: ct);
            }
            catch
            {
                await replica.DisposeAsync();
                throw;
            }

            set = new RedisSentinelSet(directory, master, replica, spare);
            for (var i = 0; i < 3; i++)
            {
                await set.StartSentinelAsync(sentinel, ct);
            }

            await set.WaitUntilReadyAsync(ct);
            return set;
        }
        catch
        {
            if (set is null)
            {
                await master.DisposeAsync();
                Directory.Delete(directory, recursive: true);
            }
            else
            {
                await set.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Asks a sentinel to fail over now (<c>SENTINEL FAILOVER</c>): the replica is promoted, the master demoted.</summary>
    public async Task FailoverAsync(CancellationToken ct = default) =>
        await RedisWire.CommandAsync(sentinelPorts[0], ["SENTINEL", "FAILOVER", ServiceName], ct);

    /// <summary>Waits until every sentinel names a master on another port than <paramref name="oldMasterPort"/>.</summary>
    public async Task WaitForNewMasterAsync(int oldMasterPort, TimeSpan deadline, CancellationToken ct = default)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < deadline)
        {
            var moved = 0;
            foreach (var port in sentinelPorts)
            {
                if (await RedisWire.CommandAsync(port, ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", ServiceName], ct) is List<object?> { Count: 2 } address
                    && !Equals(address[1], oldMasterPort.ToString(CultureInfo.InvariantCulture)))
                {
                    moved++;
                }
            }

            if (moved == sentinelPorts.Count)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        }

        throw new InvalidOperationException($"The sentinels did not name a new master within {deadline}.");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sentinel in sentinels)
        {
            await sentinel.DisposeAsync();
        }

        await Spare.DisposeAsync();
        await Replica.DisposeAsync();
        await Master.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    private async Task StartSentinelAsync(string executable, CancellationToken ct)
    {
        // As with redis-server, the free port can be taken before the sentinel binds it; try a few.
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPort.Free();
            // A sentinel rewrites its configuration file as it learns the topology, so each gets its own.
            var file = Path.Combine(directory, $"sentinel-{port}.conf");
            await File.WriteAllLinesAsync(file,
            [
                $"port {port}",
                "bind 127.0.0.1",
                $"dir {directory}",
                $"sentinel monitor {ServiceName} 127.0.0.1 {Master.Port} 2",
                $"sentinel down-after-milliseconds {ServiceName} 1000",
                $"sentinel failover-timeout {ServiceName} 5000",
            ], ct);
            var process = ChildProcess.Start("redis-sentinel", executable, [file, "--loglevel", "warning"], new Dictionary<string, string?>());
            if (await AnswersAsync(port, process, ct))
            {
                sentinels.Add(process);
                sentinelPorts.Add(port);
                return;
            }

            var output = process.Output;
            await process.DisposeAsync();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"redis-sentinel on port {port} did not start. Its output:\n{output}");
            }
        }
    }

    private static async Task<bool> AnswersAsync(int port, ChildProcess process, CancellationToken ct)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < ReadyDeadline && !process.HasExited)
        {
            try
            {
                if (await RedisWire.CommandAsync(port, ["PING"], ct) is "PONG")
                {
                    return await RedisWire.IsProcessAsync(port, process.Id, password: null, ct);
                }
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), ct);
        }

        return false;
    }

    private async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        var started = TimeProvider.System.GetTimestamp();
        var last = "";
        while (TimeProvider.System.GetElapsedTime(started) < ReadyDeadline)
        {
            last = await NotReadyBecauseAsync(ct);
            if (last.Length == 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }

        throw new InvalidOperationException($"The Sentinel set was not ready within {ReadyDeadline}: {last}");
    }

    /// <summary>Empty when every sentinel sees the master, both replicas and a quorum, and the replicas are in sync; otherwise what is missing.</summary>
    private async Task<string> NotReadyBecauseAsync(CancellationToken ct)
    {
        foreach (var port in sentinelPorts)
        {
            try
            {
                var master = await RedisWire.CommandAsync(port, ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", ServiceName], ct);
                if (master is not List<object?> { Count: 2 } address || !Equals(address[1], Master.Port.ToString(CultureInfo.InvariantCulture)))
                {
                    return $"sentinel {port} does not name the master yet";
                }

                if (await RedisWire.CommandAsync(port, ["SENTINEL", "REPLICAS", ServiceName], ct) is not List<object?> { Count: 2 } replicas
                    || replicas.OfType<List<object?>>().Count(fields => fields.Contains("slave")) != 2)
                {
                    return $"sentinel {port} does not list the replica yet";
                }

                await RedisWire.CommandAsync(port, ["SENTINEL", "CKQUORUM", ServiceName], ct);
            }
            catch (InvalidOperationException e)
            {
                return $"sentinel {port}: {e.Message}";
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                return $"sentinel {port} is not answering: {e.Message}";
            }
        }

        // With min-replicas-to-write the master takes writes only once a replica is in sync.
        var replication = await RedisWire.CommandAsync(Master.Port, ["INFO", "replication"], ct) as string ?? "";
        return replication.Split("state=online").Length - 1 == 2 ? "" : "the replicas are not in sync with the master yet";
    }
}
