using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Storage;

/// <summary>The store contract on one redis-server.</summary>
[TestFixture]
public sealed class RedisStateStoreContractTests : RealRedisContract<RedisServer>
{
    protected override Task<RedisServer> StartRedisAsync() => TestRedis.StartAsync();

    protected override string ConnectionString(RedisServer redis) => redis.ConnectionString;
}
