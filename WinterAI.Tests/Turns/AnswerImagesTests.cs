using Microsoft.Extensions.DependencyInjection;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Turns;

namespace WinterAI.Tests.Turns;

public sealed class AnswerImagesTests
{
    private const string Dify = "https://dify.example.com/v1";

    private static AnswerPaginator Paginator() => new ServiceCollection()
        .Configure<MessagesOptions>(_ => { })
        .AddSingleton<AnswerPaginator>()
        .BuildServiceProvider()
        .GetRequiredService<AnswerPaginator>();

    [Test]
    public void MarkdownImagesOnTheDifyHostBecomePicturesAndLeaveAPlaceholder()
    {
        var (markdown, images) = AnswerImages.Extract("看：![图表](/files/tools/a.png \"title\") 和 ![](https://dify.example.com/files/b.png)", null, Dify);

        markdown.ShouldBe("看：[图片：图表] 和 [图片]");
        images.ShouldBe([new AnswerImage("https://dify.example.com/files/tools/a.png"), new AnswerImage("https://dify.example.com/files/b.png")]);
    }

    [Test]
    public void ImagesOnOtherHostsStayInTheTextAndAreNotTaken()
    {
        var (markdown, images) = AnswerImages.Extract("![猫](https://cats.example.com/cat.png)", [new DifyAnswerFile("http://10.0.0.1/secret.png", "image")], Dify);

        markdown.ShouldBe("![猫](https://cats.example.com/cat.png)\n\n[图片] <http://10.0.0.1/secret.png>");
        images.ShouldBeEmpty();
    }

    [Test]
    public void MessageFilesAreTakenOnceAndOtherFilesBecomeLinks()
    {
        var (markdown, images) = AnswerImages.Extract(
            "![a](/files/a.png)",
            [new DifyAnswerFile("/files/a.png", "image"), new DifyAnswerFile("/files/c.png", "image"), new DifyAnswerFile("/files/r.pdf", "document")],
            Dify);

        images.Select(i => i.Url).ShouldBe(["https://dify.example.com/files/a.png", "https://dify.example.com/files/c.png"]);
        markdown.ShouldBe("[图片：a]\n\n[文件] <https://dify.example.com/files/r.pdf>");
    }

    [Test]
    public void PicturesAreExtraPagesCountedByEveryFooter()
    {
        var answer = string.Join("\n\n", Enumerable.Repeat(new string('字', 200), 4));
        var turn = new TurnRecord("m", "q", 0, Answer: answer, Images: [new AnswerImage("https://dify.example.com/a.png"), new AnswerImage("https://dify.example.com/b.png")]);

        var pages = Paginator().Paginate(turn);

        var text = pages.Where(p => p.Image is null).ToList();
        text.Count.ShouldBe(2);
        pages.Count.ShouldBe(4);
        pages.ShouldAllBe(p => p.Count == 4);
        text[0].Text.ShouldEndWith("（回复 1 查看下一段 2/4）");
        text[1].Text.ShouldEndWith("（回复 1 查看下一段 3/4）");
        pages.ShouldAllBe(p => System.Text.Encoding.UTF8.GetByteCount(p.Text) <= AnswerPaginator.MaxReplyBytes - AnswerPaginator.HeaderBytes);
        string.Concat(text.Select(p => p.Body)).ShouldBe(answer);
        pages[3].Image!.Url.ShouldBe("https://dify.example.com/b.png");
        pages[3].Text.ShouldBe("[图片] https://dify.example.com/b.png");
    }

    [Test]
    public void WithoutPicturesThePagesAreTheTextsAlone()
    {
        var turn = new TurnRecord("m", "q", 0, Answer: "短答");

        Paginator().Paginate(turn).ShouldBe(Paginator().Paginate("短答"));
    }
}
