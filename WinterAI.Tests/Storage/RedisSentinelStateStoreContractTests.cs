using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Storage;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Storage;

/// <summary>The store contract through Sentinel: the configuration names only the sentinels and the service.</summary>
[TestFixture]
public sealed class RedisSentinelStateStoreContractTests : StateStoreContract
{
    private RedisSentinelSet? sentinels;

    protected override TimeSpan ShortTtl => TimeSpan.FromMilliseconds(300);

    [OneTimeSetUp]
    public async Task StartSentinelSet() => sentinels = await TestRedis.StartSentinelSetAsync();

    [OneTimeTearDown]
    public async Task StopSentinelSet()
    {
        if (sentinels is not null)
        {
            await sentinels.DisposeAsync();
        }
    }

    [Test]
    public async Task WritesReachTheMasterTheSentinelsName()
    {
        await Store.SetAsync(Key("where"), "master", LongTtl);

        (await RedisWire.CommandAsync(sentinels!.Master.Port, ["GET", Key("where")])).ShouldBe("master");
    }

    protected override Task<IStateStore> CreateStoreAsync()
    {
        var options = new RedisOptions { Configuration = sentinels!.ConnectionString, OperationTimeout = TimeSpan.FromSeconds(5) };
        return Task.FromResult<IStateStore>(new RedisStateStore(Options.Create(options), TimeProvider.System, NullLogger<RedisStateStore>.Instance));
    }

    protected override Task AfterShortTtlAsync(Func<Task<bool>> expired, string what) =>
        Poll.UntilAsync(expired, what, ShortTtl + TimeSpan.FromSeconds(5));
}
