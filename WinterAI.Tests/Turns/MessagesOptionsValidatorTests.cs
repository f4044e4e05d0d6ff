using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Turns;

public sealed class MessagesOptionsValidatorTests
{
    private const string FooterLegend = "Placeholders: {0} the next page number, {1} the page count";
    private const string ChatLinkLegend = "Placeholders: {0} the link, {1} how long it works";

    /// <summary>"{0}/{1}" with the widest page numbers there can be.</summary>
    private const string WidestPageNumbers = "2147483647/2147483647";

    private static ValidateOptionsResult Validate(MessagesOptions options) => new MessagesOptionsValidator().Validate(null, options);

    private static AnswerPaginator Paginator(string footer) => new ServiceCollection()
        .Configure<MessagesOptions>(messages => messages.NextPageFooter = footer)
        .AddSingleton<AnswerPaginator>()
        .BuildServiceProvider()
        .GetRequiredService<AnswerPaginator>();

    [Test]
    public void AcceptsTheDefaultTexts() => Validate(new MessagesOptions()).Succeeded.ShouldBeTrue();

    [TestCase("\n（第 {0} 页，共 {1} 页）")]
    [TestCase("\n（回复 1 查看下一段）")]
    [TestCase("\n（{{回复 1}} {0:D2}/{1,3}）")]
    public void AcceptsAFooterWithAnyOfItsPlaceholdersOrNone(string footer) =>
        Validate(new MessagesOptions { NextPageFooter = footer }).Succeeded.ShouldBeTrue();

    [TestCase("{0}")]
    [TestCase("{1}：{0}")]
    public void AcceptsAChatLinkThatShowsTheLink(string chatLink) =>
        Validate(new MessagesOptions { ChatLink = chatLink }).Succeeded.ShouldBeTrue();

    [TestCase("\n（回复 1 查看下一段 {")]
    [TestCase("\n（回复 1 查看下一段 }")]
    [TestCase("\n（回复 1 查看下一段 {x}）")]
    [TestCase("\n（回复 1 查看下一段 {0:Z}）")]
    public void RefusesAFooterThatIsNotAFormatString(string footer) =>
        Validate(new MessagesOptions { NextPageFooter = footer }).FailureMessage.ShouldBe(
            $"Messages:NextPageFooter is not a valid format string. {FooterLegend}; a literal {{ or }} is written {{{{ or }}}}.");

    [TestCase(nameof(MessagesOptions.NextPageFooter), "\n（回复 1 查看下一段 {0}/{2}）", $"Messages:NextPageFooter uses {{2}}, which nothing fills. {FooterLegend}.")]
    [TestCase(nameof(MessagesOptions.ChatLink), "{0}\n{1}，第 {3} 次", $"Messages:ChatLink uses {{3}}, which nothing fills. {ChatLinkLegend}.")]
    public void RefusesATextWithAPlaceholderNothingFills(string property, string text, string expected)
    {
        var options = new MessagesOptions();
        typeof(MessagesOptions).GetProperty(property)!.SetValue(options, text);

        Validate(options).FailureMessage.ShouldBe(expected);
    }

    [TestCase("打开网页版聊天，链接 {1}内有效")]
    [TestCase("打开网页版聊天")]
    [TestCase("打开网页版聊天：{{0}}")]
    public void RefusesAChatLinkWithoutTheLink(string chatLink) =>
        Validate(new MessagesOptions { ChatLink = chatLink }).FailureMessage.ShouldBe(
            $"Messages:ChatLink has no {{0}} (the link), so it would not say it. {ChatLinkLegend}.");

    [Test]
    public void RefusesAFooterThatLeavesAPageNoRoomForTheAnswer()
    {
        var footer = new string('x', AnswerPaginator.MaxFooterBytes + 1 - WidestPageNumbers.Length) + "{0}/{1}";

        Validate(new MessagesOptions { NextPageFooter = footer }).FailureMessage.ShouldBe(
            "Messages:NextPageFooter takes up to 1805 bytes (UTF-8, page numbers included), which leaves a page no room for the answer; it may take at most 1804.");
    }

    [Test]
    public void AcceptsTheLongestFooterThatStillLeavesRoomOnEveryPage()
    {
        var footer = new string('x', AnswerPaginator.MaxFooterBytes - WidestPageNumbers.Length) + "{0}/{1}";

        var answer = new string('答', 1000);

        Validate(new MessagesOptions { NextPageFooter = footer }).Succeeded.ShouldBeTrue();
        string.Concat(Paginator(footer).Paginate(answer).Select(page => page.Body)).ShouldBe(answer);
    }

    [Test]
    public async Task APageFooterWithAPlaceholderNothingFillsStopsStartUpNamingTheKey()
    {
        var configuration = new Dictionary<string, string?>(WeChatAccount.Default.Configuration())
        {
            ["Messages:NextPageFooter"] = "\n（回复 1 查看下一段 {0}/{2}）",
        };

        var failure = await WinterAIHost.StartupFailureAsync(configuration);

        failure.Message.ShouldContain("Messages:NextPageFooter uses {2}");
    }
}
