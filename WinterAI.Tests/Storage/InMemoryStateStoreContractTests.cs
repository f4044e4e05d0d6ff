using WinterAI.Domain.Storage;

namespace WinterAI.Tests.Storage;

[TestFixture]
public sealed class InMemoryStateStoreContractTests : StateStoreContract
{
    private readonly FakeTimeProvider clock = new();

    protected override TimeSpan ShortTtl => TimeSpan.FromSeconds(30);

    protected override Task<IStateStore> CreateStoreAsync() => Task.FromResult<IStateStore>(new InMemoryStateStore(clock));

    protected override async Task AfterShortTtlAsync(Func<Task<bool>> expired, string what)
    {
        clock.Advance(ShortTtl);

        (await expired()).ShouldBeTrue(what);
    }
}
