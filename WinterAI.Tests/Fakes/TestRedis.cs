namespace WinterAI.Tests.Fakes;

/// <summary>
/// Throw-away Redis deployments for tests: one <see cref="RedisServer"/>, a <see cref="RedisSentinelSet"/> or a
/// <see cref="RedisCluster"/>. Each ignores the test, saying why, where the Redis programs are not installed.
/// </summary>
public static class TestRedis
{
    public static Task<RedisServer> StartAsync(string? password = null) => OrIgnoreAsync(() => RedisServer.StartAsync(password));

    public static Task<RedisSentinelSet> StartSentinelSetAsync() => OrIgnoreAsync(() => RedisSentinelSet.StartAsync());

    public static Task<RedisCluster> StartClusterAsync() => OrIgnoreAsync(() => RedisCluster.StartAsync());

    private static async Task<T> OrIgnoreAsync<T>(Func<Task<T>> start)
    {
        try
        {
            return await start();
        }
        catch (RedisServerNotFoundException e)
        {
            Assert.Ignore(e.Message);
            throw;
        }
    }
}
