using WinterAI.Domain.Turns;

namespace WinterAI.Tests.Turns;

public class MarkdownTextTests
{
    [Test]
    public void RendersHeadingsAsBracketedTextOnTheirOwnLine() =>
        MarkdownText.Render("# 第一章\n正文\n\n## **要点**\n\n结论\n===").ShouldBe("【第一章】\n正文\n\n【要点】\n【结论】");

    [Test]
    public void DropsBoldAndItalicMarkers() =>
        MarkdownText.Render("这是**粗体**、*斜体*、__粗体__、_斜体_，和***两者***。").ShouldBe("这是粗体、斜体、粗体、斜体，和两者。");

    [Test]
    public void DropsBoldMarkersAroundChinesePunctuation() =>
        MarkdownText.Render("**注意：**明天放假。").ShouldBe("注意：明天放假。");

    [Test]
    public void NumbersOrderedListsFromTheirStart() =>
        MarkdownText.Render("3. 苹果\n4. 香蕉\n1. 橙子").ShouldBe("3. 苹果\n4. 香蕉\n5. 橙子");

    [Test]
    public void BulletsUnorderedLists() =>
        MarkdownText.Render("- 苹果\n* 香蕉\n\n+ 橙子").ShouldBe("• 苹果\n\n• 香蕉\n\n• 橙子");

    [Test]
    public void KeepsTightListItemsOnConsecutiveLines() =>
        MarkdownText.Render("- 苹果\n- 香蕉").ShouldBe("• 苹果\n• 香蕉");

    [Test]
    public void IndentsNestedListsUnderTheirParentText() =>
        MarkdownText.Render("1. 水果\n   - 苹果\n   - 香蕉\n     1. 小米蕉\n2. 蔬菜").ShouldBe(
            "1. 水果\n   • 苹果\n   • 香蕉\n     1. 小米蕉\n2. 蔬菜");

    [Test]
    public void AlignsContinuationParagraphsOfAListItem() =>
        MarkdownText.Render("- 第一段\n\n  第二段\n- 下一项").ShouldBe("• 第一段\n\n  第二段\n\n• 下一项");

    [Test]
    public void MarksTaskListItems() =>
        MarkdownText.Render("- [x] 已完成\n- [ ] 待办").ShouldBe("• ☑ 已完成\n• ☐ 待办");

    [Test]
    public void WritesLinksAsTextFollowedByTheUrl() =>
        MarkdownText.Render("详见[官方文档](https://docs.dify.ai/zh \"标题\")。").ShouldBe("详见官方文档 (https://docs.dify.ai/zh)。");

    [Test]
    public void WritesOnlyTheUrlWhenTheLinkTextIsTheUrl() =>
        MarkdownText.Render("[https://dify.ai](https://dify.ai) 和 <https://example.com/a>").ShouldBe("https://dify.ai 和 https://example.com/a");

    [Test]
    public void ResolvesReferenceLinksAndHidesTheirDefinitions() =>
        MarkdownText.Render("见[文档][doc]。\n\n[doc]: https://example.com/doc").ShouldBe("见文档 (https://example.com/doc)。");

    [Test]
    public void WritesEmailAutolinksOnce() =>
        MarkdownText.Render("<help@example.com>").ShouldBe("help@example.com");

    [Test]
    public void KeepsBareUrlsAsTheyAre() =>
        MarkdownText.Render("访问 https://dify.ai/zh?a=1&b=2 了解").ShouldBe("访问 https://dify.ai/zh?a=1&b=2 了解");

    [Test]
    public void WritesImagesAsAPlaceholderWithTheirUrl() =>
        MarkdownText.Render("![](https://img.example.com/a.png)\n\n![示意图](https://img.example.com/b.png)")
            .ShouldBe("[图片] (https://img.example.com/a.png)\n\n[图片：示意图] (https://img.example.com/b.png)");

    [Test]
    public void KeepsInlineCodeVerbatimWithoutBackticks() =>
        MarkdownText.Render("运行 `dotnet test **--no-build**` 即可").ShouldBe("运行 dotnet test **--no-build** 即可");

    [Test]
    public void KeepsFencedCodeVerbatimWithoutFences() =>
        MarkdownText.Render("示例：\n\n```csharp\nif (a)\n{\n    Console.WriteLine(\"**你好**\");\n}\n```\n\n完").ShouldBe(
            "示例：\n\nif (a)\n{\n    Console.WriteLine(\"**你好**\");\n}\n\n完");

    [Test]
    public void KeepsBlankLinesInsideCodeButNotAroundIt() =>
        MarkdownText.Render("```\n\na = 1\n\nb = 2\n\n```").ShouldBe("a = 1\n\nb = 2");

    [Test]
    public void KeepsIndentedCodeVerbatim() =>
        MarkdownText.Render("代码：\n\n    x = [1, 2]\n      y = *x\n").ShouldBe("代码：\n\nx = [1, 2]\n  y = *x");

    [Test]
    public void KeepsCodeInsideListItemsIndentedUnderTheItem() =>
        MarkdownText.Render("1. 安装：\n\n   ```\n   pip install dify\n   ```").ShouldBe("1. 安装：\n\n   pip install dify");

    [Test]
    public void PrefixesBlockquotes() =>
        MarkdownText.Render("> 学而时习之\n> 不亦说乎\n>\n> > 嵌套").ShouldBe("> 学而时习之\n> 不亦说乎\n>\n> > 嵌套");

    [Test]
    public void RendersTablesAsRowsOfCells() =>
        MarkdownText.Render("| 城市 | 气温 |\n|:---|---:|\n| 北京 | **-3℃** |\n| 上海 | 5℃ |").ShouldBe(
            "城市 | 气温\n北京 | -3℃\n上海 | 5℃");

    [Test]
    public void UnescapesPipesInTableCellCode() =>
        MarkdownText.Render("| 命令 | 说明 |\n|---|---|\n| `a \\| b` | 管道 |").ShouldBe("命令 | 说明\na | b | 管道");

    [Test]
    public void RendersThematicBreaksAsALine() =>
        MarkdownText.Render("上文\n\n---\n\n下文").ShouldBe("上文\n\n──────────\n\n下文");

    [Test]
    public void PassesHtmlThroughAsText() =>
        MarkdownText.Render("<div class=\"note\">\n<b>注意</b>\n</div>\n\n换行<br>之后 <script>alert(1)</script>").ShouldBe(
            "<div class=\"note\">\n<b>注意</b>\n</div>\n\n换行<br>之后 <script>alert(1)</script>");

    [Test]
    public void DecodesEntitiesAndEscapes() =>
        MarkdownText.Render("AT&amp;T &lt;tag&gt; \\*不是斜体\\*").ShouldBe("AT&T <tag> *不是斜体*");

    [Test]
    public void SeparatesParagraphsWithOneBlankLine() =>
        MarkdownText.Render("\n\n第一段\n\n\n\n第二段\n第二段第二行\n\n\n").ShouldBe("第一段\n\n第二段\n第二段第二行");

    [Test]
    public void KeepsHardLineBreaksWithoutTheirTrailingSpaces() =>
        MarkdownText.Render("第一行  \n第二行\\\n第三行").ShouldBe("第一行\n第二行\n第三行");

    [Test]
    public void LeavesNoTrailingWhitespaceAndNoCarriageReturns() =>
        MarkdownText.Render("标题\r\n---\r\n\r\n段落   \r\n\r\n```\r\ncode   \r\n```\r\n").ShouldBe("【标题】\n段落\n\ncode");

    [Test]
    public void RendersATypicalDifyAnswer()
    {
        var markdown = """
            ## 北京三日游建议

            **第一天**：故宫 → 景山公园
            - 门票：*60 元*，需[提前预约](https://gugong.example.cn)
            - 建议 8:30 入园

            **第二天**：长城

            > 不到长城非好汉。

            祝旅途愉快！😊
            """;

        MarkdownText.Render(markdown).ShouldBe("""
            【北京三日游建议】
            第一天：故宫 → 景山公园

            • 门票：60 元，需提前预约 (https://gugong.example.cn)
            • 建议 8:30 入园

            第二天：长城

            > 不到长城非好汉。

            祝旅途愉快！😊
            """);
    }

    [Test]
    public void ReturnsEmptyTextForEmptyOrBlankInput()
    {
        MarkdownText.Render(string.Empty).ShouldBe(string.Empty);
        MarkdownText.Render(" \n\t\n ").ShouldBe(string.Empty);
    }

    [TestCase(">", 100_000)]
    [TestCase("- ", 50_000)]
    [TestCase("1. ", 50_000)]
    [TestCase("[", 100_000)]
    [TestCase("*a ", 50_000)]
    [TestCase("> - ", 50_000)]
    public void FallsBackToTheSourceWhenNestingIsTooDeep(string unit, int repeat)
    {
        var markdown = string.Concat(Enumerable.Repeat(unit, repeat)) + "深";

        var text = MarkdownText.Render(markdown);

        text.ShouldEndWith("深");
    }

    [Test]
    public void NeverThrowsOnRandomInput()
    {
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        string[] pieces =
        [
            "#", "##", "*", "**", "_", "`", "```", "~~~", ">", "-", "+", "1.", "2)", "[", "]", "(", ")", "!", "<", ">",
            "</", "&", "&amp;", "&#", ";", "|", ":", "---", "\\", " ", "  ", "    ", "\t", "\n", "\n\n", "\r\n", "\r",
            "文字", "。", "😀", "👨‍👩‍👧‍👦", "🇨🇳", "e\u0301", "\0", "\uD800", "\uDC00", "http://a.b/c", "<div>", "-->", "<!--",
            "[x]", "[ ]", "![", "][", "]:", "=", "a",
        ];

        for (var i = 0; i < 2_000; i++)
        {
            var length = random.Next(0, 200);
            var markdown = string.Concat(Enumerable.Range(0, length).Select(_ => pieces[random.Next(pieces.Length)]));

            string text;
            try
            {
                text = MarkdownText.Render(markdown);
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed}, case {i}: {e}");
                return;
            }

            text.ShouldNotContain('\r', $"seed {seed}, case {i}");
            text.Split('\n').ShouldAllBe(line => line.Length == 0 || !char.IsWhiteSpace(line[line.Length - 1]), $"seed {seed}, case {i}");
        }
    }
}
