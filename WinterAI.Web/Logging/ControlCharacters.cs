using System.Buffers;
using System.Globalization;
using System.Text;

namespace WinterAI.Web.Logging;

/// <summary>
/// Makes untrusted text safe for a line-oriented log: a follower's message or id, a request path or an exception
/// message could otherwise start a forged log line (CR, LF), drive the terminal reading the log (ESC) or make a line
/// read differently from what it contains (Unicode line separators, bidirectional overrides).
/// </summary>
internal static class ControlCharacters
{
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(UnsafeCharacters());

    /// <summary>The text with every such character written as an escape (<c>\r</c>, <c>\n</c>, <c>\t</c>, <c>\u001B</c>); the same string when there is none.</summary>
    public static string Escape(string text)
    {
        var first = text.AsSpan().IndexOfAny(Unsafe);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        foreach (var c in text.AsSpan(first))
        {
            _ = c switch
            {
                '\r' => escaped.Append("\\r"),
                '\n' => escaped.Append("\\n"),
                '\t' => escaped.Append("\\t"),
                _ when Unsafe.Contains(c) => escaped.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }

    private static string UnsafeCharacters()
    {
        var characters = new StringBuilder();
        for (var c = '\0'; c <= '\u009F'; c++)
        {
            if (char.IsControl(c))
            {
                characters.Append(c);
            }
        }

        return characters.Append("\u2028\u2029\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069").ToString();
    }
}
