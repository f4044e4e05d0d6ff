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
