using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Storage;

/// <summary>The store contract through Sentinel: the configuration names only the sentinels and the service.</summary>
[TestFixture]
public sealed class RedisSentinelStateStoreContractTests : RealRedisContract<RedisSentinelSet>
{
    protected override Task<RedisSentinelSet> StartRedisAsync() => TestRedis.StartSentinelSetAsync();

    protected override string ConnectionString(RedisSentinelSet redis) => redis.ConnectionString;

    [Test]
    public async Task WritesReachTheMasterTheSentinelsName()
    {
        await Store.SetAsync(Key("where"), "master", LongTtl);

        (await RedisWire.CommandAsync(Redis!.Master.Port, ["GET", Key("where")])).ShouldBe("master");
    }
}
