using System.Text;
using WinterAI.Domain.Protocol.Messages;

namespace WinterAI.Domain.Protocol.Xml;

/// <summary>
/// Writes a passive reply in the exact layout of WeChat's documentation (compact, strings in CDATA).
/// </summary>
/// <remarks>
/// Any string is safe to pass: characters XML 1.0 cannot carry are dropped, CRLF becomes LF and <c>]]&gt;</c>
/// is split across CDATA sections, so the output always parses. WeChat answers a malformed reply by
/// telling the follower the account is broken, so a stray control character in an LLM answer must not get through.
/// </remarks>
public static class ReplyWriter
{
    /// <summary>WeChat's limit for a news reply; further articles are dropped rather than failing the reply.</summary>
    public const int MaxNewsArticles = 8;

    /// <exception cref="ArgumentException">A news reply without articles, or a <see cref="Reply"/> type this writer does not know.</exception>
    public static string Write(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var xml = new StringBuilder("<xml>")
            .AppendCDataElement("ToUserName", reply.ToUserName)
            .AppendCDataElement("FromUserName", reply.FromUserName)
            .AppendNumberElement("CreateTime", reply.CreateTime);

        switch (reply)
        {
            case TextReply text:
                xml.AppendCDataElement("MsgType", "text")
                    .AppendCDataElement("Content", text.Content);
                break;
            case ImageReply image:
                xml.AppendCDataElement("MsgType", "image")
                    .Append("<Image>").AppendCDataElement("MediaId", image.MediaId).Append("</Image>");
                break;
            case VoiceReply voice:
                xml.AppendCDataElement("MsgType", "voice")
                    .Append("<Voice>").AppendCDataElement("MediaId", voice.MediaId).Append("</Voice>");
                break;
            case VideoReply video:
                xml.AppendCDataElement("MsgType", "video")
                    .Append("<Video>").AppendCDataElement("MediaId", video.MediaId);
                if (video.Title is not null)
                {
                    xml.AppendCDataElement("Title", video.Title);
                }

                if (video.Description is not null)
                {
                    xml.AppendCDataElement("Description", video.Description);
                }

                xml.Append("</Video>");
                break;
            case MusicReply music:
                xml.AppendCDataElement("MsgType", "music")
                    .Append("<Music>")
                    .AppendCDataElement("Title", music.Title)
                    .AppendCDataElement("Description", music.Description)
                    .AppendCDataElement("MusicUrl", music.MusicUrl)
                    .AppendCDataElement("HQMusicUrl", music.HqMusicUrl)
                    .AppendCDataElement("ThumbMediaId", music.ThumbMediaId)
                    .Append("</Music>");
                break;
            case NewsReply news:
                AppendNews(xml, news);
                break;
            default:
                throw new ArgumentException($"{reply.GetType().Name} is not a reply type WeChat knows.", nameof(reply));
        }

        return xml.Append("</xml>").ToString();
    }

    private static void AppendNews(StringBuilder xml, NewsReply news)
    {
        ArgumentNullException.ThrowIfNull(news.Articles);
        if (news.Articles.Count == 0)
        {
            throw new ArgumentException("A news reply needs at least one article.", nameof(news));
        }

        var articles = news.Articles.Take(MaxNewsArticles).ToList();
        xml.AppendCDataElement("MsgType", "news")
            .AppendNumberElement("ArticleCount", articles.Count)
            .Append("<Articles>");
        foreach (var article in articles)
        {
            xml.Append("<item>")
                .AppendCDataElement("Title", article.Title)
                .AppendCDataElement("Description", article.Description)
                .AppendCDataElement("PicUrl", article.PicUrl)
                .AppendCDataElement("Url", article.Url)
                .Append("</item>");
        }

        xml.Append("</Articles>");
    }
}
