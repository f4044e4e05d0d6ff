using System.Text;
using System.Text.RegularExpressions;
using WinterAI.Domain.Dify;

namespace WinterAI.Domain.Turns;

/// <summary>
/// Takes the pictures out of an answer: Markdown images <c>![alt](url)</c> and the assistant's <c>message_file</c>s that
/// are on the Dify host become <see cref="AnswerImage"/>s (each URL once), and the Markdown keeps a short
/// <c>[图片]</c> where an image stood. Images on any other host are not fetched: a Markdown one stays in the text (rendered
/// as a link), a <c>message_file</c> is added to the text as a link; so are the assistant's other files (documents…).
/// </summary>
public static partial class AnswerImages
{
    /// <summary>What stands in the text where a picture delivered on its own was.</summary>
    public const string Placeholder = "[图片]";

    /// <param name="difyBaseUrl"><c>Dify:BaseUrl</c>: its origin is the only host pictures are fetched from.</param>
    public static (string Markdown, IReadOnlyList<AnswerImage> Images) Extract(string markdown, IReadOnlyList<DifyAnswerFile>? files, string difyBaseUrl)
    {
        var images = new List<AnswerImage>();
        var text = MarkdownImage().Replace(markdown, match =>
        {
            if (DifyFileUrls.OnDifyHost(difyBaseUrl, match.Groups["url"].Value) is not { } url)
            {
                return match.Value;
            }

            Add(images, url.AbsoluteUri);
            return match.Groups["alt"].Value.Trim() is { Length: > 0 } alt ? $"{Placeholder[..^1]}：{alt}]" : Placeholder;
        });

        var links = new StringBuilder();
        foreach (var file in files ?? [])
        {
            var url = DifyFileUrls.OnDifyHost(difyBaseUrl, file.Url);
            if (url is not null && file.Type == AnswerImage.ImageType)
            {
                Add(images, url.AbsoluteUri);
            }
            else if (url is not null || Uri.TryCreate(file.Url, UriKind.Absolute, out _))
            {
                // Not fetched (another host) or not a picture: the follower still gets where it is.
                var link = (url?.AbsoluteUri ?? file.Url.Trim()).Replace(">", "%3E", StringComparison.Ordinal);
                links.Append("\n\n").Append(file.Type == AnswerImage.ImageType ? Placeholder : "[文件]").Append(" <").Append(link).Append('>');
            }
        }

        return (links.Length == 0 ? text : text.TrimEnd() + links, images);
    }

    private static void Add(List<AnswerImage> images, string url)
    {
        if (!images.Exists(i => i.Url == url))
        {
            images.Add(new AnswerImage(url));
        }
    }

    [GeneratedRegex(@"!\[(?<alt>[^\]\n]*)\]\(\s*<?(?<url>[^)\s>]+)>?(?:\s+(?:""[^""]*""|'[^']*'))?\s*\)")]
    private static partial Regex MarkdownImage();
}
