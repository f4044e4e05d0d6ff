using System.Text;

namespace WinterAI.Domain.Turns;

/// <summary>
/// Removes the <c>&lt;think&gt;…&lt;/think&gt;</c> blocks reasoning models write (DeepSeek-R1, QwQ and the like) from
/// what followers are shown. Works on a finished answer and on an answer still streaming: an unclosed block hides
/// everything after its opening tag, and a trailing <c>&lt;</c>, <c>&lt;t</c>, … that may still become
/// <c>&lt;think&gt;</c> is held back, so a partial answer never shows reasoning, even for a moment. The visible text
/// of a growing answer only grows, which live views (robot streams, the H5 page) rely on.
/// </summary>
public static class ReasoningText
{
    public const string Open = "<think>";
    public const string Close = "</think>";

    /// <summary>A finished answer without its reasoning; leading white space the removal leaves is dropped too.</summary>
    public static string Hide(string text) => Strip(text, streaming: false);

    /// <summary>
    /// The part of an answer still streaming that may be shown: <see cref="Hide"/>, and also nothing of an unclosed
    /// block nor of a trailing partial opening tag.
    /// </summary>
    public static string VisibleSoFar(string text) => Strip(text, streaming: true);

    private static string Strip(string text, bool streaming)
    {
        if (!text.Contains('<', StringComparison.Ordinal))
        {
            return text;
        }

        var visible = new StringBuilder(text.Length);
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf(Open, at, StringComparison.OrdinalIgnoreCase);
            if (open < 0)
            {
                var rest = text.AsSpan(at);
                visible.Append(streaming ? rest[..^HeldBack(rest)] : rest);
                break;
            }

            visible.Append(text.AsSpan(at, open - at));
            var close = text.IndexOf(Close, open + Open.Length, StringComparison.OrdinalIgnoreCase);
            if (close < 0)
            {
                // Still thinking (or the model never closed it): nothing after the tag is shown.
                break;
            }

            at = close + Close.Length;
        }

        return visible.Length == text.Length ? text : visible.ToString().TrimStart();
    }

    /// <summary>True when the text holds reasoning (closed or not).</summary>
    public static bool HasReasoning(string text) => text.Contains(Open, StringComparison.OrdinalIgnoreCase);

    /// <summary>How many characters at the end could be the start of <see cref="Open"/> once more text arrives.</summary>
    private static int HeldBack(ReadOnlySpan<char> text)
    {
        for (var length = Math.Min(Open.Length - 1, text.Length); length > 0; length--)
        {
            if (text[^length..].Equals(Open.AsSpan(0, length), StringComparison.OrdinalIgnoreCase))
            {
                return length;
            }
        }

        return 0;
    }
}
