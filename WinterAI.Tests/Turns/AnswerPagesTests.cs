using System.Globalization;
using System.Text;
using WinterAI.Domain.Turns;

namespace WinterAI.Tests.Turns;

public class AnswerPagesTests
{
    private const string Sentence = "这是一句完整的话。";

    private static int Bytes(string text) => Encoding.UTF8.GetByteCount(text);

    private static string Repeat(string text, int times) => string.Concat(Enumerable.Repeat(text, times));

    private static IEnumerable<int> Cuts(IReadOnlyList<AnswerPage> pages)
    {
        var offset = 0;
        foreach (var page in pages.SkipLast(1))
        {
            offset += page.Body.Length;
            yield return offset;
        }
    }

    [Test]
    public void EmptyTextIsOnePageWithAnEmptyBody()
    {
        var pages = AnswerPages.Split(string.Empty);

        pages.ShouldHaveSingleItem().ShouldBe(new AnswerPage(1, 1, string.Empty, string.Empty));
    }

    [Test]
    public void AnAnswerOfExactly2048BytesFitsOnOnePageWithoutAFooter()
    {
        var text = Repeat("中", 682) + "ab";
        Bytes(text).ShouldBe(2048);

        var page = AnswerPages.Split(text).ShouldHaveSingleItem();

        page.ShouldBe(new AnswerPage(1, 1, text, text));
    }

    [Test]
    public void AnAnswerOf2049BytesMakesTwoPages()
    {
        var text = Repeat("中", 683);
        Bytes(text).ShouldBe(2049);

        var pages = AnswerPages.Split(text);

        pages.Count.ShouldBe(2);
        pages[0].Text.ShouldBe(pages[0].Body + "\n（回复 1 查看下一段 2/2）");
        Bytes(pages[0].Text).ShouldBeLessThanOrEqualTo(2048);
        pages[1].Text.ShouldBe(pages[1].Body);
        (pages[0].Body + pages[1].Body).ShouldBe(text);
    }

    [Test]
    public void TheFooterSaysWhichPartTheNextOneBringsOnEveryPageButTheLast()
    {
        var pages = AnswerPages.Split(Repeat(Sentence, 200));

        pages.Count.ShouldBe(3);
        pages[0].Text.ShouldEndWith("。\n（回复 1 查看下一段 2/3）");
        pages[1].Text.ShouldEndWith("。\n（回复 1 查看下一段 3/3）");
        pages[2].Text.ShouldBe(pages[2].Body);
        pages.Select(page => (page.Number, page.Count)).ShouldBe([(1, 3), (2, 3), (3, 3)]);
    }

    [Test]
    public void APageEndsAtAParagraphBreakRatherThanALineBreakOrSentenceEnd()
    {
        var first = Repeat(Sentence + "\n", 50) + Sentence;
        var text = first + "\n\n" + Repeat(Sentence + "\n", 40);

        var pages = AnswerPages.Split(text);

        pages[0].Body.ShouldBe(first + "\n\n");
    }

    [Test]
    public void APageEndsAtALineBreakWhenNoParagraphBreakFits()
    {
        var first = Repeat(Sentence, 60);
        var text = first + "\n" + Repeat(Sentence, 60);

        var pages = AnswerPages.Split(text);

        pages[0].Body.ShouldBe(first + "\n");
    }

    [Test]
    public void APageEndsAtASentenceEndWhenNoLineBreakFits()
    {
        var text = Repeat(Sentence, 100);

        var pages = AnswerPages.Split(text);

        pages[0].Body.ShouldEndWith("。");
        Bytes(pages[0].Body).ShouldBeGreaterThan(2048 - Bytes(Sentence) - Bytes(AnswerPages.DefaultFooter(1, 2)));
    }

    [Test]
    public void ASentenceEndTakesItsClosingQuoteAlong()
    {
        var text = Repeat("他说：“我们走吧。”", 100);

        var pages = AnswerPages.Split(text);

        pages[0].Body.ShouldEndWith("。”");
    }

    [Test]
    public void ADecimalPointIsNotASentenceEnd()
    {
        var text = Repeat("x", 1000) + " 3.14159" + Repeat("y", 2000);

        var pages = AnswerPages.Split(text, 1100);

        pages[0].Body.ShouldEndWith(" ");
    }

    [Test]
    public void ABoundaryThatWouldLeaveThePageLessThanHalfFullIsNotUsed()
    {
        var text = "简短的开头。\n\n" + Repeat(Sentence, 200);

        var pages = AnswerPages.Split(text);

        Bytes(pages[0].Body).ShouldBeGreaterThan(1024);
        pages[0].Body.ShouldEndWith("。");
    }

    [Test]
    public void TextWithoutAnyBoundaryIsCutAsLateAsItFits()
    {
        var text = Repeat("中", 2000);
        var budget = 2048 - Bytes(AnswerPages.DefaultFooter(1, 3));

        var pages = AnswerPages.Split(text);

        Bytes(pages[0].Body).ShouldBe(budget / 3 * 3);
    }

    [TestCase("👨‍👩‍👧‍👦")]
    [TestCase("🇨🇳")]
    [TestCase("👍🏽")]
    [TestCase("e\u0301\u0323\u0308")]
    [TestCase("\u1100\u1161\u11A8")]
    [TestCase("\r\n")]
    [TestCase("😀")]
    public void APageNeverEndsInsideAGraphemeCluster(string cluster)
    {
        const int maxBytes = 100;
        for (var filler = 0; filler < 60; filler++)
        {
            var text = Repeat("a", filler) + Repeat(cluster, 12);

            var pages = AnswerPages.Split(text, maxBytes);

            string.Concat(pages.Select(page => page.Body)).ShouldBe(text);
            pages.ShouldAllBe(page => Bytes(page.Text) <= maxBytes);
            Cuts(pages).ShouldAllBe(cut => cut <= filler || (cut - filler) % cluster.Length == 0, $"filler {filler}");
        }
    }

    [Test]
    public void AGraphemeLargerThanAPageIsCutBetweenCodePoints()
    {
        var text = "前" + "e" + new string('\u0301', 3000) + "后";
        new StringInfo(text).LengthInTextElements.ShouldBe(3);

        var pages = AnswerPages.Split(text);

        pages.Count.ShouldBe(3);
        string.Concat(pages.Select(page => page.Body)).ShouldBe(text);
        pages.ShouldAllBe(page => Bytes(page.Text) <= 2048);
    }

    [Test]
    public void AnEmojiSequenceLargerThanAPageIsNeverCutInsideASurrogatePair()
    {
        var text = string.Join("\u200D", Enumerable.Repeat("👩", 400));

        var pages = AnswerPages.Split(text, 300);

        string.Concat(pages.Select(page => page.Body)).ShouldBe(text);
        pages.ShouldAllBe(page => Bytes(page.Text) <= 300);
        pages.ShouldAllBe(page => !char.IsHighSurrogate(page.Body[page.Body.Length - 1]) && !char.IsLowSurrogate(page.Body[0]));
    }

    [Test]
    public void ALoneSurrogateCountsAsTheReplacementCharacterItIsSentAs()
    {
        var text = Repeat("a\uD800b\uDC00", 600);

        var pages = AnswerPages.Split(text, 500);

        string.Concat(pages.Select(page => page.Body)).ShouldBe(text);
        pages.ShouldAllBe(page => Bytes(page.Text) <= 500);
    }

    [Test]
    public void ACustomFooterIsAppendedToEveryPageButTheLast()
    {
        var text = Repeat(Sentence, 100);

        var pages = AnswerPages.Split(text, 64, (number, count) => $"\n[{number}/{count}]");

        pages.Count.ShouldBeGreaterThan(10);
        pages.SkipLast(1).ShouldAllBe(page => page.Text == page.Body + $"\n[{page.Number}/{page.Count}]");
        pages[^1].Text.ShouldBe(pages[^1].Body);
        pages.ShouldAllBe(page => Bytes(page.Text) <= 64);
    }

    [Test]
    public void TheFooterGrowsWithTheNumberOfPagesAndStillFits()
    {
        var text = Repeat("中", 20_000);

        var pages = AnswerPages.Split(text, 64);

        pages.Count.ShouldBeGreaterThan(1000);
        pages[0].Text.ShouldEndWith($"（回复 1 查看下一段 2/{pages.Count}）");
        pages.ShouldAllBe(page => Bytes(page.Text) <= 64);
        string.Concat(pages.Select(page => page.Body)).ShouldBe(text);
    }

    [Test]
    public void AMaxBytesWithoutRoomForTheFooterAndOneCodePointIsRefused()
    {
        var smallest = Bytes(AnswerPages.DefaultFooter(1, 2)) + 4;

        Should.Throw<ArgumentOutOfRangeException>(() => AnswerPages.Split("短", smallest - 1)).ParamName.ShouldBe("maxBytes");
        AnswerPages.Split(Repeat("😀", 10), smallest).Count.ShouldBe(2);
    }

    [Test]
    public void AFooterThatOutgrowsThePageIsRefusedInsteadOfLoopingForever()
    {
        Should.Throw<ArgumentOutOfRangeException>(() =>
            AnswerPages.Split(Repeat("a", 1000), 100, (_, count) => new string('-', count * 10)));
    }
}
