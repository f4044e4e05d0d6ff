using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;

namespace WinterAI.Domain.Turns;

/// <summary>Cuts answers into pages that fit one WeChat text reply, with the configured "reply 1 for more" footer.</summary>
public sealed class AnswerPaginator(IOptionsMonitor<MessagesOptions> messages)
{
    /// <summary>The passive reply ceiling: WeChat shows nothing at all for longer text.</summary>
    public const int MaxReplyBytes = 2048;

    /// <summary>Room kept on every page for the question header that the first page fetched by <c>1</c> carries.</summary>
    public const int HeaderBytes = 240;

    /// <summary>The most a footer may take of a page and still leave room for the answer.</summary>
    public const int MaxFooterBytes = MaxReplyBytes - HeaderBytes - AnswerPages.MinimumBodyBytes;

    public IReadOnlyList<AnswerPage> Paginate(string answer)
    {
        var footer = messages.CurrentValue.NextPageFooter;
        return AnswerPages.Split(answer, MaxReplyBytes - HeaderBytes, (number, count) => Footer(footer, number + 1, count));
    }

    /// <summary>
    /// The turn's pages: its text pages, then one page per picture of the answer (<see cref="TurnRecord.Images"/>). The
    /// footers count the pictures too, and the last text page gets one when a picture follows. A picture's page carries no
    /// footer (WeChat sends a picture without text); its <see cref="AnswerPage.Text"/> is the link sent instead of it.
    /// </summary>
    public IReadOnlyList<AnswerPage> Paginate(TurnRecord turn)
    {
        var answer = turn.Answer ?? "";
        if (turn.Images is not { Count: > 0 } images)
        {
            return Paginate(answer);
        }

        var format = messages.CurrentValue.NextPageFooter;
        var longest = Encoding.UTF8.GetByteCount(Footer(format, 99, 99));
        var budget = MaxReplyBytes - HeaderBytes - longest;

        // Room for the footer the last text page gets on top; an outsized configured footer just shares the page.
        var text = AnswerPages.Split(answer, budget >= longest + AnswerPages.MinimumBodyBytes ? budget : MaxReplyBytes - HeaderBytes, (number, count) => Footer(format, number + 1, count + images.Count));
        var count = text.Count + images.Count;
        var pages = new List<AnswerPage>(count);
        foreach (var page in text)
        {
            pages.Add(page.IsLast
                ? new AnswerPage(page.Number, count, page.Body, page.Text + Footer(format, page.Number + 1, count))
                : page with { Count = count });
        }

        for (var i = 0; i < images.Count; i++)
        {
            var number = text.Count + i + 1;
            pages.Add(new AnswerPage(number, count, images[i].LinkText, images[i].LinkText, images[i]));
        }

        return pages;
    }

    /// <summary>The <see cref="MessagesOptions.NextPageFooter"/> under a page: {0} is the next page's number, {1} the page count.</summary>
    public static string Footer(string format, int nextPage, int pages) => string.Format(CultureInfo.InvariantCulture, format, nextPage, pages);

    /// <summary>A page fetched with <c>1</c>: the first one says which question it answers.</summary>
    public string WithQuestion(string question, AnswerPage page)
    {
        var separator = Shorten(messages.CurrentValue.Separator, HeaderBytes / 4);
        return $"{Shorten(question, HeaderBytes - Encoding.UTF8.GetByteCount(separator) - 2)}\n{separator}\n{page.Text}";
    }

    private static string Shorten(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var builder = new StringBuilder();
        var used = Encoding.UTF8.GetByteCount("…");
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            used += Encoding.UTF8.GetByteCount(element);
            if (used > maxBytes)
            {
                break;
            }

            builder.Append(element);
        }

        return builder.Append('…').ToString();
    }
}
