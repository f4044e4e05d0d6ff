using System.Globalization;
using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Extensions.TaskLists;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace WinterAI.Domain.Turns;

/// <summary>
/// Renders a Dify answer, written in Markdown, as the plain text a WeChat bubble can show.
/// </summary>
/// <remarks>
/// Headings become <c>【heading】</c> directly above their section, emphasis is dropped, lists use <c>1. </c> and <c>• </c> with nested
/// lists indented under their parent's text, links read <c>text (url)</c>, images <c>[图片：alt] (url)</c>,
/// code is kept verbatim without its fences or backticks, block quotes are prefixed with <c>&gt; </c>, table
/// rows are cells joined by <c> | </c>, a thematic break is a line of box-drawing characters and HTML is
/// shown as the text it is (entities such as <c>&amp;amp;</c> and backslash escapes are decoded, as Markdown
/// defines them). Blocks are separated by one blank line, lines end with <c>\n</c> and carry no
/// trailing whitespace.
/// </remarks>
public static class MarkdownText
{
    private const string ThematicBreak = "──────────";

    private static readonly string[] LineEndings = ["\r\n", "\r", "\n"];

    // CJK-friendly emphasis because models write "**注意：**内容", which CommonMark's flanking rules would
    // leave as literal asterisks. No extension that rewrites text (smarty pants, emoji shortcodes, autolinks).
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseTaskLists()
        .UseCjkFriendlyEmphasis()
        .Build();

    /// <summary>Renders <paramref name="markdown"/> as plain text. Never throws.</summary>
    public static string Render(string markdown)
    {
        if (string.IsNullOrEmpty(markdown))
        {
            return string.Empty;
        }

        try
        {
            var document = Markdown.Parse(markdown, Pipeline);
            return Join(RenderBlocks(document, tight: false));
        }
        catch (Exception)
        {
            // Markdig refuses absurd nesting (a depth limit) and any parser bug must not cost the follower
            // the answer: the source itself is still readable.
            return Join(SplitLines(markdown));
        }
    }

    private static List<string> RenderBlocks(ContainerBlock container, bool tight)
    {
        var lines = new List<string>();
        Block? previous = null;
        foreach (var block in container)
        {
            var blockLines = RenderBlock(block);
            if (blockLines.Count == 0)
            {
                continue;
            }

            // A heading sits directly on its section so that a page break, which prefers blank lines, falls
            // before the heading rather than between it and its text.
            if (lines.Count > 0 && !tight && previous is not HeadingBlock)
            {
                lines.Add(string.Empty);
            }

            lines.AddRange(blockLines);
            previous = block;
        }

        return lines;
    }

    private static List<string> RenderBlock(Block block) => block switch
    {
        HeadingBlock heading => RenderHeading(heading),
        CodeBlock code => RenderVerbatim(code),
        HtmlBlock html => RenderVerbatim(html),
        ThematicBreakBlock => [ThematicBreak],
        QuoteBlock quote => Prefix(RenderBlocks(quote, tight: false), "> ", "> ", ">"),
        ListBlock list => RenderList(list),
        Table table => RenderTable(table),
        LinkReferenceDefinitionGroup or LinkReferenceDefinition or BlankLineBlock => [],
        LeafBlock { Inline: not null } leaf => SplitLines(RenderInline(leaf.Inline)),
        LeafBlock leaf => RenderVerbatim(leaf),
        ContainerBlock container => RenderBlocks(container, tight: false),
        _ => [],
    };

    private static List<string> RenderHeading(HeadingBlock heading)
    {
        var text = heading.Inline is null ? string.Empty : RenderInline(heading.Inline).Trim();
        return text.Length == 0 ? [] : SplitLines($"【{text}】");
    }

    private static List<string> RenderVerbatim(LeafBlock block)
    {
        var lines = new List<string>();
        var group = block.Lines;
        for (var i = 0; i < group.Count; i++)
        {
            lines.AddRange(SplitLines(group.Lines[i].Slice.ToString()));
        }

        // Fences often enclose blank lines that would otherwise double the block separator.
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[0]))
        {
            lines.RemoveAt(0);
        }

        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1]))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    private static List<string> RenderList(ListBlock list)
    {
        var lines = new List<string>();
        var number = list.IsOrdered && long.TryParse(list.OrderedStart, NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            ? start
            : 1;
        foreach (var item in list)
        {
            var marker = list.IsOrdered ? $"{number++}. " : "• ";
            var itemLines = item is ContainerBlock container ? RenderBlocks(container, tight: !list.IsLoose) : RenderBlock(item);
            if (lines.Count > 0 && list.IsLoose)
            {
                lines.Add(string.Empty);
            }

            if (itemLines.Count == 0)
            {
                lines.Add(marker.TrimEnd());
                continue;
            }

            lines.AddRange(Prefix(itemLines, marker, new string(' ', marker.Length), string.Empty));
        }

        return lines;
    }

    private static List<string> RenderTable(Table table)
    {
        var lines = new List<string>();
        foreach (var row in table)
        {
            if (row is not TableRow cells)
            {
                lines.AddRange(RenderBlock(row));
                continue;
            }

            // GFM lets a cell hold a pipe as \| even inside a code span, where Markdig leaves the backslash.
            var texts = cells.Select(cell => string.Join(" ", RenderBlock(cell)).Replace("\\|", "|", StringComparison.Ordinal).Trim());
            lines.Add(string.Join(" | ", texts));
        }

        return lines;
    }

    private static List<string> Prefix(List<string> lines, string first, string rest, string blank)
    {
        var prefixed = new List<string>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            prefixed.Add(i == 0 ? first + lines[i] : lines[i].Length == 0 ? blank : rest + lines[i]);
        }

        return prefixed;
    }

    private static string RenderInline(ContainerInline container)
    {
        var builder = new StringBuilder();
        WriteChildren(container, builder);
        return builder.ToString();
    }

    private static void WriteChildren(ContainerInline container, StringBuilder builder)
    {
        for (var child = container.FirstChild; child is not null; child = child.NextSibling)
        {
            WriteInline(child, builder);
        }
    }

    private static void WriteInline(Inline inline, StringBuilder builder)
    {
        switch (inline)
        {
            case LiteralInline literal:
                builder.Append(literal.Content.ToString());
                break;
            case CodeInline code:
                builder.Append(code.Content);
                break;
            case AutolinkInline autolink:
                builder.Append(autolink.Url);
                break;
            case LinkInline link:
                WriteLink(link, builder);
                break;
            case LineBreakInline:
                // Soft breaks stay line breaks: a space between two lines of Chinese would be a stray gap.
                builder.Append('\n');
                break;
            case HtmlInline html:
                builder.Append(html.Tag);
                break;
            case HtmlEntityInline entity:
                builder.Append(entity.Transcoded.ToString());
                break;
            case TaskList task:
                builder.Append(task.Checked ? '☑' : '☐');
                break;
            case DelimiterInline delimiter:
                builder.Append(delimiter.ToLiteral());
                WriteChildren(delimiter, builder);
                break;
            case ContainerInline container:
                WriteChildren(container, builder);
                break;
        }
    }

    private static void WriteLink(LinkInline link, StringBuilder builder)
    {
        var text = RenderInline(link).Trim();
        var url = link.GetDynamicUrl?.Invoke() ?? link.Url ?? string.Empty;
        if (link.IsImage)
        {
            builder.Append(text.Length == 0 ? "[图片]" : $"[图片：{text}]");
            if (url.Length > 0)
            {
                builder.Append(" (").Append(url).Append(')');
            }

            return;
        }

        if (url.Length == 0)
        {
            builder.Append(text);
        }
        else if (text.Length == 0 || text == url || "mailto:" + text == url)
        {
            builder.Append(text.Length == 0 ? url : text);
        }
        else
        {
            builder.Append(text).Append(" (").Append(url).Append(')');
        }
    }

    private static List<string> SplitLines(string text) => [.. text.Split(LineEndings, StringSplitOptions.None)];

    private static string Join(List<string> lines) =>
        string.Join('\n', lines.Select(line => line.TrimEnd())).Trim('\n');
}
