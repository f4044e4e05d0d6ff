using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Storage;

/// <summary>The store contract on a 3-master/3-replica Cluster, the configuration listing every node.</summary>
[TestFixture]
public sealed class RedisClusterStateStoreContractTests : RealRedisContract<RedisCluster>
{
    protected override Task<RedisCluster> StartRedisAsync() => TestRedis.StartClusterAsync();

    protected override string ConnectionString(RedisCluster redis) => redis.ConnectionString;

    [Test]
    public async Task KeysSpreadOverTheMasters()
    {
        var keys = Enumerable.Range(0, 30).Select(i => Key($"spread-{i}")).ToList();
        foreach (var key in keys)
        {
            await Store.SetAsync(key, "v", LongTtl);
        }

        var mastersHoldingKeys = 0;
        foreach (var node in Redis!.Nodes)
        {
            var role = await RedisWire.CommandAsync(node.Port, ["ROLE"]) as List<object?>;
            if (role?[0] is "master" && await RedisWire.CommandAsync(node.Port, ["DBSIZE"]) is > 0L)
            {
                mastersHoldingKeys++;
            }
        }

        mastersHoldingKeys.ShouldBeGreaterThanOrEqualTo(2);
    }
}
