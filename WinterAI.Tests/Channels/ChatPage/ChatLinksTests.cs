using WinterAI.Domain.Channels.ChatPage;

namespace WinterAI.Tests.Channels.ChatPage;

public sealed class ChatLinksTests
{
    [TestCase("1.00:00:00", "1 天")]
    [TestCase("7.00:00:00", "7 天")]
    [TestCase("12:00:00", "12 小时")]
    [TestCase("1.12:00:00", "36 小时")]
    [TestCase("00:30:00", "30 分钟")]
    [TestCase("01:30:00", "90 分钟")]
    public void DescribesTheLinkLifetimeTheWayAFollowerReadsIt(string ttl, string expected) =>
        ChatLinks.Describe(TimeSpan.Parse(ttl, System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(expected);
}
