using System.Globalization;
using System.Text;

namespace WinterAI.Domain.Turns;

/// <summary>
/// Splits an answer into parts that each fit one WeChat text reply (2048 UTF-8 bytes), footer included.
/// </summary>
/// <remarks>
/// <para>
/// A part ends, in order of preference, after a paragraph break (<c>\n\n</c>), after a line break, after the
/// end of a sentence (<c>。！？；…</c>, or <c>.!?;</c> not followed by a letter or digit, with any closing
/// quotes and spaces that follow), after a space, or else at the last extended grapheme cluster boundary
/// that fits. A preferred boundary is used only if it keeps the part at least half full; otherwise the next
/// finer kind is tried, so a paragraph break near the start does not produce a tiny part. The break itself
/// stays at the end of the part it closes, so the next part starts with text.
/// </para>
/// <para>
/// A part is never cut inside a UTF-8 sequence, a surrogate pair, or a grapheme cluster (ZWJ emoji
/// sequences, flags, a letter and its combining marks) — except a single cluster that on its own is larger
/// than a part's budget, which is cut between code points because nothing else can fit it.
/// </para>
/// <para>
/// Every part but the last carries the footer. Its length depends on the number of parts (more digits), and
/// the number of parts on the room the footer leaves, so the split is repeated with the room reserved for the
/// longest footer until that reservation is enough.
/// </para>
/// </remarks>
public static class AnswerPages
{
    /// <summary>The WeChat limit for a passive text reply, in UTF-8 bytes.</summary>
    public const int WeChatMaxBytes = 2048;

    /// <summary>Room for one code point, the most a part must hold to make progress.</summary>
    internal const int MinimumBodyBytes = 4;

    /// <summary>
    /// The footer appended to part <paramref name="number"/> of <paramref name="count"/>: it tells the follower
    /// which part <c>1</c> brings next, e.g. <c>（回复 1 查看下一段 2/3）</c> under part 1 of 3.
    /// </summary>
    public static string DefaultFooter(int number, int count) =>
        string.Create(CultureInfo.InvariantCulture, $"\n（回复 1 查看下一段 {number + 1}/{count}）");

    /// <summary>
    /// Splits <paramref name="text"/> into parts whose <see cref="AnswerPage.Text"/> is at most
    /// <paramref name="maxBytes"/> UTF-8 bytes. Empty text gives one empty part.
    /// </summary>
    /// <param name="text">The answer.</param>
    /// <param name="maxBytes">The byte budget of a part, footer included.</param>
    /// <param name="footer">
    /// Given the part's number and the number of parts, the text appended to every part but the last;
    /// <see cref="DefaultFooter"/> when null.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="maxBytes"/> leaves fewer than 4 bytes beside the footer.
    /// </exception>
    public static IReadOnlyList<AnswerPage> Split(string text, int maxBytes = WeChatMaxBytes, Func<int, int, string>? footer = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        footer ??= DefaultFooter;

        var reserved = Encoding.UTF8.GetByteCount(footer(1, 2));
        EnsureRoom(maxBytes, reserved, 2);

        var layout = new Layout(text);
        if (layout.Bytes(0, text.Length) <= maxBytes)
        {
            return [new AnswerPage(1, 1, text, text)];
        }

        while (true)
        {
            var ends = layout.Cut(maxBytes, maxBytes - reserved);
            var count = ends.Count;
            var footers = new string[count - 1];
            var needed = 0;
            for (var number = 1; number < count; number++)
            {
                footers[number - 1] = footer(number, count);
                needed = Math.Max(needed, Encoding.UTF8.GetByteCount(footers[number - 1]));
            }

            if (needed <= reserved)
            {
                return Assemble(text, ends, footers);
            }

            reserved = needed;
            EnsureRoom(maxBytes, reserved, count);
        }
    }

    private static void EnsureRoom(int maxBytes, int footerBytes, int count)
    {
        if (maxBytes - footerBytes < MinimumBodyBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxBytes),
                maxBytes,
                $"A part needs room for a {footerBytes}-byte footer ({count} parts) and at least {MinimumBodyBytes} bytes of text.");
        }
    }

    private static List<AnswerPage> Assemble(string text, List<int> ends, string[] footers)
    {
        var pages = new List<AnswerPage>(ends.Count);
        var start = 0;
        for (var i = 0; i < ends.Count; i++)
        {
            var body = text[start..ends[i]];
            var isLast = i == ends.Count - 1;
            pages.Add(new AnswerPage(i + 1, ends.Count, body, isLast ? body : body + footers[i]));
            start = ends[i];
        }

        return pages;
    }

    private sealed class Layout
    {
        private readonly string text;

        // prefixBytes[i] is the UTF-8 length of text[..i]. A surrogate pair counts 4 on its high half and 0 on
        // its low half, so the largest index within a budget never falls between the two halves; a lone
        // surrogate counts 3, the size of the U+FFFD it is encoded as.
        private readonly int[] prefixBytes;

        private readonly bool[] graphemeBoundary;

        private readonly Func<int, int, bool>[] preferredEnds;

        public Layout(string text)
        {
            this.text = text;
            preferredEnds = [EndsParagraph, EndsLine, EndsSentence, EndsWord];
            prefixBytes = new int[text.Length + 1];
            for (var i = 0; i < text.Length; i++)
            {
                prefixBytes[i + 1] = prefixBytes[i] + CharBytes(i);
            }

            graphemeBoundary = new bool[text.Length + 1];
            graphemeBoundary[0] = true;
            for (var i = 0; i < text.Length;)
            {
                i += StringInfo.GetNextTextElementLength(text, i);
                graphemeBoundary[i] = true;
            }
        }

        public int Bytes(int start, int end) => prefixBytes[end] - prefixBytes[start];

        /// <summary>The end index of every part: all but the last hold at most <paramref name="budget"/> bytes.</summary>
        public List<int> Cut(int maxBytes, int budget)
        {
            var ends = new List<int>();
            var start = 0;
            while (Bytes(start, text.Length) > maxBytes)
            {
                start = FindEnd(start, budget);
                ends.Add(start);
            }

            ends.Add(text.Length);
            return ends;
        }

        private int FindEnd(int start, int budget)
        {
            var fit = LastFitting(start, budget);
            var limit = fit;
            while (limit > start && !graphemeBoundary[limit])
            {
                limit--;
            }

            if (limit == start)
            {
                return fit;
            }

            foreach (var kind in preferredEnds)
            {
                for (var end = limit; end > start && Bytes(start, end) * 2 >= budget; end--)
                {
                    if (graphemeBoundary[end] && kind(start, end))
                    {
                        return end;
                    }
                }
            }

            // A cluster that fits no page is cut anyway, so it is cut here rather than after a near-empty page.
            return Bytes(limit, NextBoundary(fit)) > budget ? fit : limit;
        }

        private int NextBoundary(int index)
        {
            while (!graphemeBoundary[index])
            {
                index++;
            }

            return index;
        }

        private int LastFitting(int start, int budget)
        {
            var target = prefixBytes[start] + budget;
            var index = Array.BinarySearch(prefixBytes, start, text.Length + 1 - start, target);
            if (index < 0)
            {
                return ~index - 1;
            }

            while (index < text.Length && prefixBytes[index + 1] == target)
            {
                index++;
            }

            return index;
        }

        private bool EndsParagraph(int start, int end) =>
            end - start >= 2 && text[end - 1] == '\n'
            && (text[end - 2] == '\n' || (end - start >= 3 && text[end - 2] == '\r' && text[end - 3] == '\n'));

        private bool EndsLine(int start, int end) => text[end - 1] is '\n' or '\r' or '\u2028' or '\u2029';

        private bool EndsSentence(int start, int end)
        {
            var i = end - 1;
            while (i >= start && text[i] is ' ' or '\t' or '\u3000')
            {
                i--;
            }

            while (i >= start && text[i] is '"' or '\'' or ')' or ']' or '”' or '’' or '）' or '」' or '』' or '】' or '》' or '〉')
            {
                i--;
            }

            if (i < start)
            {
                return false;
            }

            return text[i] switch
            {
                '。' or '！' or '？' or '；' or '…' => true,
                '.' or '!' or '?' or ';' => i + 1 == text.Length || !char.IsAsciiLetterOrDigit(text[i + 1]),
                _ => false,
            };
        }

        private bool EndsWord(int start, int end) => text[end - 1] is ' ' or '\t' or '\u3000';

        private int CharBytes(int i)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                return i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 4 : 3;
            }

            if (char.IsLowSurrogate(c))
            {
                return i > 0 && char.IsHighSurrogate(text[i - 1]) ? 0 : 3;
            }

            return c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
    }
}
