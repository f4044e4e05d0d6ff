
namespace WinterAI.Domain.Channels.ChatPage;

/// <param name="Follower">The follower the token was issued to; null unless <see cref="ChatLinkStatus.Valid"/>.</param>
/// <param name="ExpiresAt">When the token stops working; null unless <see cref="ChatLinkStatus.Valid"/>.</param>
public sealed record ChatLinkCheck(ChatLinkStatus Status, Follower? Follower = null, DateTimeOffset? ExpiresAt = null)
{
    public static readonly ChatLinkCheck Invalid = new(ChatLinkStatus.Invalid);

    public static readonly ChatLinkCheck Expired = new(ChatLinkStatus.Expired);
}
