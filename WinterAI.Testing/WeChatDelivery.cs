using System.Net;

namespace WinterAI.Testing;

/// <summary>One HTTP delivery as WeChat saw it. <see cref="Content"/> is the decrypted reply XML's Content, if any.</summary>
public sealed record WeChatDelivery(int Attempt, HttpStatusCode? Status, string Body, string? ReplyXml, bool TimedOut)
{
    public string? Content => ReplyXml is null ? null : WeChatWire.Element(ReplyXml, "Content");

    /// <summary>WeChat treats an empty body and "success" alike: nothing shown, no retry.</summary>
    public bool IsSilentSuccess => !TimedOut && Status == HttpStatusCode.OK && (Body.Length == 0 || Body == "success");
}
