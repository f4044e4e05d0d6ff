namespace WinterAI.Domain.Channels.WeCom;

/// <summary>How WinterAI's messages go out through WeCom's message/send.</summary>
public enum WeComMessageType
{
    /// <summary>Plain text: Dify's Markdown is rendered to readable text, as for the official account.</summary>
    Text,

    /// <summary>
    /// WeCom markdown messages: Dify's answer is sent as Dify wrote it and WeCom renders its Markdown subset
    /// (headings, bold, links, inline code, quotes). Only the WeCom client shows these; WeChat's WeCom plugin does not.
    /// </summary>
    Markdown,
}
