using Microsoft.Extensions.Logging;
using WinterAI.Domain.Protocol.Platform;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.OfficialAccount;

/// <summary>
/// Pushes answers that missed the last passive delivery through the customer-service API (accounts with
/// <see cref="WeChatOptions.CustomerServicePush"/>). A long answer goes out as consecutive pages within the
/// platform's per-message quota, only the last one pushed keeping its "reply 1 for the next part" footer (and only
/// when a part is left); the rest stays for <c>1</c>. When the platform refuses (48001 no permission,
/// 45015 window closed, 45047 quota used up, or anything else) the page goes back to <c>1</c> and the follower
/// is told on their next message. The answer's pictures follow its text as image messages (uploaded as temporary
/// media), each counting as one push.
/// </summary>
public sealed class CustomerServicePusher(
    WeChatApiClient api,
    PagePusher pages,
    AnswerPictures pictures,
    ILogger<CustomerServicePusher> log) : IAnswerPusher
{
    /// <summary>WeChat allows 5 customer-service messages per follower message within 48 h.</summary>
    public const int MaxPushesPerMessage = 5;

    public async Task<bool> PushAsync(Follower follower, TurnRecord turn, CancellationToken ct)
    {
        // An answer read out (Dify:VoiceReplies) is pushed as voice; its text stays for `1`.
        if (turn.VoiceMediaId is { } voice)
        {
            try
            {
                await api.SendVoiceAsync(follower.Id, voice, ct);
                return true;
            }
            catch (PlatformApiException ex)
            {
                log.LogWarning("The customer-service API refused the answer read out (errcode {ErrCode}); pushing its text.", ex.ErrorCode);
            }
        }

        return await PushPagesAsync(follower, turn, ct);
    }

    private Task<bool> PushPagesAsync(Follower follower, TurnRecord turn, CancellationToken ct) =>
        pages.PushAsync(follower, turn, MaxPushesPerMessage, "The customer-service API", (text, token) => api.SendTextAsync(follower.Id, text, token), ct,
            async (image, token) =>
            {
                if (await pictures.MediaIdAsync(follower.Account, image, api.UploadImageAsync, token) is not { } mediaId)
                {
                    return false;
                }

                await api.SendImageAsync(follower.Id, mediaId, token);
                return true;
            });

    public async Task<bool> PushTextAsync(Follower follower, string text, CancellationToken ct)
    {
        try
        {
            await api.SendTextAsync(follower.Id, text, ct);
            return true;
        }
        catch (PlatformApiException)
        {
            return false;
        }
    }

    public async Task TypingAsync(Follower follower, CancellationToken ct)
    {
        try
        {
            await api.TypingAsync(follower.Id, ct);
        }
        catch (PlatformApiException ex)
        {
            log.LogDebug("Typing indicator refused (errcode {ErrCode}).", ex.ErrorCode);
        }
    }
}
