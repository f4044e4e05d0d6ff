using System.Globalization;
using System.Text;

namespace WinterAI.Domain.Protocol.Xml;

/// <summary>Text that goes into the XML we send, made safe for any XML 1.0 parser on the other side.</summary>
internal static class XmlText
{
    private const string CDataEnd = "]]>";

    /// <summary>
    /// Drops what XML 1.0 cannot carry (control characters other than tab, newline and carriage return;
    /// lone surrogates; U+FFFE and U+FFFF) and turns CRLF and lone CR into LF. The receiving parser would
    /// normalise line ends anyway (XML 1.0 §2.11); doing it here means what we send, count and test is
    /// exactly what the follower gets.
    /// </summary>
    public static string Sanitize(string value)
    {
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
            }
            else if (c == '\r')
            {
                builder.Append('\n');
                if (i + 1 < value.Length && value[i + 1] == '\n')
                {
                    i++;
                }
            }
            else if (IsXmlChar(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Appends <c>&lt;name&gt;&lt;![CDATA[value]]&gt;&lt;/name&gt;</c>. A <c>]]&gt;</c> inside the value would end the
    /// section early, so it is split across two sections; parsers join them back.
    /// </summary>
    public static StringBuilder AppendCDataElement(this StringBuilder builder, string name, string value) =>
        builder.Append('<').Append(name).Append("><![CDATA[")
            .Append(Sanitize(value).Replace(CDataEnd, "]]]]><![CDATA[>", StringComparison.Ordinal))
            .Append("]]></").Append(name).Append('>');

    public static StringBuilder AppendNumberElement(this StringBuilder builder, string name, long value) =>
        builder.Append('<').Append(name).Append('>')
            .Append(value.ToString(CultureInfo.InvariantCulture))
            .Append("</").Append(name).Append('>');

    // Surrogates are excluded here on purpose: only a complete pair, handled above, is allowed through.
    private static bool IsXmlChar(char c) =>
        c is '\t' or '\n' or (>= '\u0020' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD');
}
