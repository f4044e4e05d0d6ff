using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WinterAI.Domain;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Turns;

/// <summary>How the answer so far is kept while Dify streams: throttled, at paragraph ends, only growing, finished at the end.</summary>
public sealed class PartialAnswersTests
{
    private static readonly Follower Follower = new("wx-account", "o-live");
    private FakeTimeProvider time = null!;
    private InMemoryStateStore store = null!;
    private PartialAnswers partials = null!;

    [SetUp]
    public void Create()
    {
        time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        store = new InMemoryStateStore(time);
        partials = new PartialAnswers(store, new StoreKeys("winterai:"), Options.Create(new DifyOptions()), time, NullLogger<PartialAnswers>.Instance);
    }

    private Task<PartialAnswer?> ReadAsync() => partials.GetAsync(Follower, "m1", CancellationToken.None);

    private static DifyProgress Grown(string soFar) => new(soFar, "", Replaced: false);

    [Test]
    public async Task TheFirstTextIsWrittenAtOnceAndFurtherTextAtMostEveryInterval()
    {
        var writer = partials.Start(Follower, "m1");

        await writer.UpdateAsync(Grown("Hel"), CancellationToken.None);
        var first = await ReadAsync();
        await writer.UpdateAsync(Grown("Hello"), CancellationToken.None);
        var withinInterval = await ReadAsync();
        time.Advance(PartialAnswers.WriteInterval + TimeSpan.FromMilliseconds(1));
        await writer.UpdateAsync(Grown("Hello, wor"), CancellationToken.None);
        await Poll.UntilAsync(async () => (await ReadAsync())?.Text.Length >= 5, "the interval's write");
        var afterInterval = await ReadAsync();

        first.ShouldBe(new PartialAnswer("Hel", false));
        withinInterval.ShouldBe(new PartialAnswer("Hel", false));
        afterInterval!.Text.ShouldBeOneOf("Hello", "Hello, wor");
    }

    [Test]
    public async Task TextHeldBackIsWrittenWhenTheIntervalIsOverEvenIfDifyPauses()
    {
        var writer = partials.Start(Follower, "m1");

        await writer.UpdateAsync(Grown("Hel"), CancellationToken.None);
        await writer.UpdateAsync(Grown("Hello"), CancellationToken.None);
        time.Advance(PartialAnswers.WriteInterval);

        await Poll.UntilAsync(async () => (await ReadAsync())?.Text == "Hello", "the held-back text is written");
        (await ReadAsync()).ShouldBe(new PartialAnswer("Hello", false));
    }

    [Test]
    public async Task AParagraphEndIsWrittenAtOnce()
    {
        var writer = partials.Start(Follower, "m1");

        await writer.UpdateAsync(Grown("One"), CancellationToken.None);
        await writer.UpdateAsync(Grown("One paragraph.\n\n"), CancellationToken.None);

        (await ReadAsync()).ShouldBe(new PartialAnswer("One paragraph.\n\n", false));
    }

    [Test]
    public async Task AReplacedAnswerNeverShrinksWhatReadersSawAndTheEndIsMarkedFinished()
    {
        var writer = partials.Start(Follower, "m1");

        await writer.UpdateAsync(Grown("A long answer that was"), CancellationToken.None);
        time.Advance(PartialAnswers.WriteInterval);
        await writer.UpdateAsync(new DifyProgress("Redacted", "", Replaced: true), CancellationToken.None);
        var afterReplace = await ReadAsync();
        await writer.FinishAsync();

        afterReplace.ShouldBe(new PartialAnswer("A long answer that was", false));
        (await ReadAsync()).ShouldBe(new PartialAnswer("A long answer that was", true));
    }

    [Test]
    public async Task TheEndWritesTheLastTextThatWasHeldBack()
    {
        var writer = partials.Start(Follower, "m1");

        await writer.UpdateAsync(Grown("Hel"), CancellationToken.None);
        await writer.UpdateAsync(Grown("Hello"), CancellationToken.None);
        await writer.FinishAsync();

        (await ReadAsync()).ShouldBe(new PartialAnswer("Hello", true));
    }
}
