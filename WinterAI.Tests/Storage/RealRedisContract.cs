using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Storage;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Storage;

/// <summary>The store contract on a real Redis deployment, started once per fixture: one server, a Sentinel set or a Cluster.</summary>
public abstract class RealRedisContract<TRedis> : StateStoreContract
    where TRedis : class, IAsyncDisposable
{
    protected TRedis? Redis { get; private set; }

    protected override TimeSpan ShortTtl => TimeSpan.FromMilliseconds(300);

    protected abstract Task<TRedis> StartRedisAsync();

    protected abstract string ConnectionString(TRedis redis);

    [OneTimeSetUp]
    public async Task StartRedis() => Redis = await StartRedisAsync();

    [OneTimeTearDown]
    public async Task StopRedis()
    {
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }

    protected override Task<IStateStore> CreateStoreAsync()
    {
        var options = new RedisOptions { Configuration = ConnectionString(Redis!), OperationTimeout = TimeSpan.FromSeconds(5) };
        return Task.FromResult<IStateStore>(new RedisStateStore(Options.Create(options), TimeProvider.System, NullLogger<RedisStateStore>.Instance));
    }

    protected override Task AfterShortTtlAsync(Func<Task<bool>> expired, string what) =>
        Poll.UntilAsync(expired, what, ShortTtl + TimeSpan.FromSeconds(5));
}
