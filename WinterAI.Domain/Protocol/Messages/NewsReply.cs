
namespace WinterAI.Domain.Protocol.Messages;

/// <param name="Articles">
/// One to eight; <see cref="Xml.ReplyWriter"/> drops any beyond the eighth. When answering a follower's
/// message (rather than an event) WeChat shows only the first.
/// </param>
public sealed record NewsReply(IReadOnlyList<NewsArticle> Articles) : Reply;
