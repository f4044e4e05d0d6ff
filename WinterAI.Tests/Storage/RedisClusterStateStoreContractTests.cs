using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Storage;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Storage;

/// <summary>The store contract on a 3-master/3-replica Cluster, the configuration listing every node.</summary>
[TestFixture]
public sealed class RedisClusterStateStoreContractTests : StateStoreContract
{
    private RedisCluster? cluster;

    protected override TimeSpan ShortTtl => TimeSpan.FromMilliseconds(300);

    [OneTimeSetUp]
    public async Task StartCluster() => cluster = await TestRedis.StartClusterAsync();

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }

    [Test]
    public async Task KeysSpreadOverTheMasters()
    {
        var keys = Enumerable.Range(0, 30).Select(i => Key($"spread-{i}")).ToList();
        foreach (var key in keys)
        {
            await Store.SetAsync(key, "v", LongTtl);
        }

        var mastersHoldingKeys = 0;
        foreach (var node in cluster!.Nodes)
        {
            var role = await RedisWire.CommandAsync(node.Port, ["ROLE"]) as List<object?>;
            if (role?[0] is "master" && await RedisWire.CommandAsync(node.Port, ["DBSIZE"]) is > 0L)
            {
                mastersHoldingKeys++;
            }
        }

        mastersHoldingKeys.ShouldBeGreaterThanOrEqualTo(2);
    }

    protected override Task<IStateStore> CreateStoreAsync()
    {
        var options = new RedisOptions { Configuration = cluster!.ConnectionString, OperationTimeout = TimeSpan.FromSeconds(5) };
        return Task.FromResult<IStateStore>(new RedisStateStore(Options.Create(options), TimeProvider.System, NullLogger<RedisStateStore>.Instance));
    }

    protected override Task AfterShortTtlAsync(Func<Task<bool>> expired, string what) =>
        Poll.UntilAsync(expired, what, ShortTtl + TimeSpan.FromSeconds(5));
}
