using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Storage;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Storage;

[TestFixture]
public sealed class RedisStateStoreContractTests : StateStoreContract
{
    private RedisServer? server;

    protected override TimeSpan ShortTtl => TimeSpan.FromMilliseconds(300);

    [OneTimeSetUp]
    public async Task StartRedis() => server = await TestRedis.StartAsync();

    [OneTimeTearDown]
    public async Task StopRedis()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    protected override Task<IStateStore> CreateStoreAsync()
    {
        var options = new RedisOptions { Configuration = server!.ConnectionString, OperationTimeout = TimeSpan.FromSeconds(5) };
        return Task.FromResult<IStateStore>(new RedisStateStore(Options.Create(options), TimeProvider.System, NullLogger<RedisStateStore>.Instance));
    }

    protected override Task AfterShortTtlAsync(Func<Task<bool>> expired, string what) =>
        Poll.UntilAsync(expired, what, ShortTtl + TimeSpan.FromSeconds(5));
}
