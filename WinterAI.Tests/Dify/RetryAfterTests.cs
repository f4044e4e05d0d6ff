using System.Net.Http.Headers;
using WinterAI.Domain.Dify;

namespace WinterAI.Tests.Dify;

public class RetryAfterTests
{
    static readonly DateTimeOffset Now = new(2025, 1, 16, 8, 0, 0, TimeSpan.Zero);
    static readonly TimeSpan Cap = TimeSpan.FromSeconds(10);

    static RetryConditionHeaderValue Parse(string value) => RetryConditionHeaderValue.Parse(value);

    [Test]
    public void ReadsDeltaSeconds() => RetryAfter.ToDelay(Parse("3"), Now, Cap).ShouldBe(TimeSpan.FromSeconds(3));

    [Test]
    public void ReadsAnHttpDateRelativeToNow() =>
        RetryAfter.ToDelay(Parse("Thu, 16 Jan 2025 08:00:04 GMT"), Now, Cap).ShouldBe(TimeSpan.FromSeconds(4));

    [Test]
    public void TreatsADateInThePastAsNoWait() =>
        RetryAfter.ToDelay(Parse("Thu, 16 Jan 2025 07:59:00 GMT"), Now, Cap).ShouldBe(TimeSpan.Zero);

    [Test]
    public void CapsLongDeltas() => RetryAfter.ToDelay(Parse("3600"), Now, Cap).ShouldBe(Cap);

    [Test]
    public void CapsFarDates() => RetryAfter.ToDelay(Parse("Fri, 17 Jan 2025 08:00:00 GMT"), Now, Cap).ShouldBe(Cap);

    [Test]
    public void IsNullWithoutTheHeader() => RetryAfter.ToDelay(null, Now, Cap).ShouldBeNull();
}
