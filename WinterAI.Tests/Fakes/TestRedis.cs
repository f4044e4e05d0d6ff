namespace WinterAI.Tests.Fakes;

/// <summary>A throw-away <see cref="RedisServer"/> for one test; ignores the test, saying why, where redis-server is not installed.</summary>
public static class TestRedis
{
    public static async Task<RedisServer> StartAsync(string? password = null)
    {
        try
        {
            return await RedisServer.StartAsync(password);
        }
        catch (RedisServerNotFoundException e)
        {
            Assert.Ignore(e.Message);
            throw;
        }
    }
}
