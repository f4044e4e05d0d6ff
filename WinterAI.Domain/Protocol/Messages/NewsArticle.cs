
namespace WinterAI.Domain.Protocol.Messages;

/// <summary>One card of a <see cref="NewsReply"/>.</summary>
/// <param name="PicUrl">The cover image; WeChat suggests 360×200 for a large card, 200×200 for a small one.</param>
/// <param name="Url">Opened when the card is tapped.</param>
public sealed record NewsArticle(string Title, string Description, string PicUrl, string Url);
