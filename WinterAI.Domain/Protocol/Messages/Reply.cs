
namespace WinterAI.Domain.Protocol.Messages;

/// <summary>
/// A passive reply: the XML body of the response to WeChat's callback (written by
/// <see cref="Xml.ReplyWriter"/>). ToUserName is the follower, FromUserName our account.
/// </summary>
public abstract record Reply
{
    public required string ToUserName { get; init; }

    public required string FromUserName { get; init; }

    /// <summary>Unix seconds.</summary>
    public required long CreateTime { get; init; }
}
