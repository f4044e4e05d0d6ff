using WinterAI.Domain.Protocol.Platform;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeCom;

/// <summary>
/// Sends every finished answer of the WeCom app through message/send (the callback itself answers empty). A long
/// answer goes out as consecutive parts of at most 2048 bytes, the pages <c>1</c> would hand out, without the
/// "reply 1 for the next part" footer while the next part follows at once. When WeCom refuses a part, that part
/// and the rest stay available through <c>1</c> and the member is told on their next message. The answer's pictures
/// follow its text as image messages (media/upload, then message/send), or as their links when they cannot be fetched.
/// </summary>
public sealed class WeComPusher(
    WeComApiClient api,
    PagePusher pages,
    AnswerPictures pictures) : IAnswerPusher
{
    /// <summary>
    /// WeCom silently drops messages beyond 30 per minute from one app to one member, so one answer sends at most
    /// this many parts; the last one sent keeps its footer and <c>1</c> brings the rest.
    /// </summary>
    public const int MaxMessagesPerAnswer = 10;

    public Task<bool> PushAsync(Follower follower, TurnRecord turn, CancellationToken ct) =>
        pages.PushAsync(follower, turn, MaxMessagesPerAnswer, "WeCom message/send", (text, token) => api.SendAsync(follower.Id, text, token), ct,
            (image, token) => SendPictureAsync(api, pictures, follower, image, token));

    /// <summary>An answer's picture as an image message (uploaded through media/upload once); false when it could not be fetched or uploaded.</summary>
    internal static async Task<bool> SendPictureAsync(WeComApiClient api, AnswerPictures pictures, Follower follower, AnswerImage image, CancellationToken ct)
    {
        if (await pictures.MediaIdAsync(follower.Account, image, (file, token) => api.UploadAsync("image", file, token), ct) is not { } mediaId)
        {
            return false;
        }

        await api.SendMediaAsync(follower.Id, "image", mediaId, ct);
        return true;
    }

    public async Task<bool> PushTextAsync(Follower follower, string text, CancellationToken ct)
    {
        try
        {
            await api.SendAsync(follower.Id, text, ct);
            return true;
        }
        catch (PlatformApiException)
        {
            return false;
        }
    }

    /// <summary>WeCom has no typing indicator.</summary>
    public Task TypingAsync(Follower follower, CancellationToken ct) => Task.CompletedTask;
}
