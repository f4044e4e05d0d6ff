
namespace WinterAI.Domain.Protocol.Messages;

/// <summary>
/// A message or event pushed by WeChat (or WeCom) to the callback. Every element of the XML is kept in
/// <see cref="Elements"/>, so types and fields we do not model are still readable.
/// </summary>
public abstract record InboundMessage
{
    public required string ToUserName { get; init; }

    /// <summary>The follower's openid (WeCom: the member's UserID).</summary>
    public required string FromUserName { get; init; }

    public required long CreateTime { get; init; }

    public required string MsgType { get; init; }

    /// <summary>Absent on events.</summary>
    public string? MsgId { get; init; }

    /// <summary>WeCom only.</summary>
    public string? AgentId { get; init; }

    public IReadOnlyDictionary<string, string> Elements { get; init; } = new Dictionary<string, string>();

    /// <summary>What identifies one message across WeChat's retries: MsgId, or FromUserName + CreateTime for events.</summary>
    public string DeduplicationKey => string.IsNullOrEmpty(MsgId) ? $"{FromUserName}:{CreateTime}" : MsgId;
}
