using System.Globalization;
using System.Text;
using WinterAI.Domain.Turns;

namespace WinterAI.Tests.Turns;

public class AnswerPagesPropertyTests
{
    private const int Answers = 500;

    private const int MaxLength = 20_000;

    // Set WINTERAI_TEST_SEED to replay a failure; otherwise every run explores new answers.
    private static int BaseSeed() =>
        int.TryParse(Environment.GetEnvironmentVariable("WINTERAI_TEST_SEED"), out var seed) ? seed : Random.Shared.Next();

    [TestCase(2048)]
    [TestCase(600)]
    [TestCase(64)]
    public void EveryPageOfARandomAnswerFitsAndThePagesJoinBackWithTheDefaultFooter(int maxBytes) =>
        CheckRandomAnswers(maxBytes, AnswerPages.DefaultFooter);

    [TestCase(600)]
    [TestCase(64)]
    public void EveryPageOfARandomAnswerFitsAndThePagesJoinBackWithAShortFooter(int maxBytes) =>
        CheckRandomAnswers(maxBytes, (number, count) => $"\n[{number}/{count}]");

    private static void CheckRandomAnswers(int maxBytes, Func<int, int, string> footer)
    {
        var seed = BaseSeed();
        TestContext.Out.WriteLine($"seed {seed}");
        var random = new Random(seed);
        for (var i = 0; i < Answers; i++)
        {
            var text = RandomAnswers.Next(random, MaxLength);
            try
            {
                CheckPages(text, maxBytes, footer);
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed}, answer {i} ({text.Length} chars), maxBytes {maxBytes}: {e.Message}");
            }
        }
    }

    private static void CheckPages(string text, int maxBytes, Func<int, int, string> footer)
    {
        var pages = AnswerPages.Split(text, maxBytes, footer);

        pages.ShouldNotBeEmpty();
        string.Concat(pages.Select(page => page.Body)).ShouldBe(text, "the bodies must join back to the answer");

        var count = pages.Count;
        var budget = maxBytes - Enumerable.Range(1, count - 1).Select(n => Encoding.UTF8.GetByteCount(footer(n, count))).DefaultIfEmpty(0).Max();
        var graphemeStarts = GraphemeStarts(text);
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            var page = pages[i];
            page.Number.ShouldBe(i + 1);
            page.Count.ShouldBe(count);
            page.IsLast.ShouldBe(i == count - 1);
            page.Text.ShouldBe(page.IsLast ? page.Body : page.Body + footer(page.Number, count));
            Encoding.UTF8.GetByteCount(page.Text).ShouldBeLessThanOrEqualTo(maxBytes, $"page {page.Number}/{count}");

            if (!page.IsLast)
            {
                page.Body.ShouldNotBeEmpty();
                char.IsHighSurrogate(page.Body[^1]).ShouldBeFalse($"page {page.Number} ends with a lone high surrogate");
                char.IsLowSurrogate(text[offset + page.Body.Length]).ShouldBeFalse($"page {page.Number + 1} starts with a lone low surrogate");
            }

            offset += page.Body.Length;
            if (!page.IsLast && !graphemeStarts.Contains(offset))
            {
                var cluster = ClusterAround(text, graphemeStarts, offset);
                Encoding.UTF8.GetByteCount(cluster).ShouldBeGreaterThan(
                    budget,
                    $"page {page.Number} splits the grapheme {Escape(cluster)} that fits a page");
            }
        }
    }

    private static HashSet<int> GraphemeStarts(string text) =>
        [.. StringInfo.ParseCombiningCharacters(text), text.Length];

    private static string ClusterAround(string text, HashSet<int> starts, int offset)
    {
        var start = offset;
        while (!starts.Contains(start))
        {
            start--;
        }

        var end = offset;
        while (!starts.Contains(end))
        {
            end++;
        }

        return text[start..end];
    }

    private static string Escape(string text) =>
        string.Concat(text.EnumerateRunes().Select(rune => $"U+{rune.Value:X4} "));
}
