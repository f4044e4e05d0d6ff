
namespace WinterAI.Domain.Protocol.Messages;

/// <param name="HqMusicUrl">Written as WeChat spells it, <c>HQMusicUrl</c>; played on Wi-Fi instead of <paramref name="MusicUrl"/>.</param>
/// <param name="ThumbMediaId">The cover: an uploaded thumbnail's media id.</param>
public sealed record MusicReply(string Title, string Description, string MusicUrl, string HqMusicUrl, string ThumbMediaId) : Reply;
