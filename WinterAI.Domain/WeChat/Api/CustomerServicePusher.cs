using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Conversations;
using WinterAI.Domain.Delivery;
using WinterAI.Domain.Platform;

namespace WinterAI.Domain.WeChat.Api;

/// <summary>
/// Pushes answers that missed the last passive delivery through the customer-service API (accounts with
/// <see cref="WeChatOptions.CustomerServicePush"/>). A long answer goes out as consecutive pages within the
/// platform's per-message quota; the rest stays for <c>1</c>. When the platform refuses (48001 no permission,
/// 45015 window closed, 45047 quota used up, or anything else) the page goes back to <c>1</c> and the follower
/// is told on their next message.
/// </summary>
public sealed class CustomerServicePusher(
    IOptions<WeChatOptions> options,
    WeChatApiClient api,
    TurnStore turns,
    AnswerPaginator paginator,
    FollowerNotices notices,
    DeliveryMetrics metrics,
    ILogger<CustomerServicePusher> log) : IAnswerPusher
{
    /// <summary>WeChat allows 5 customer-service messages per follower message within 48 h.</summary>
    public const int MaxPushesPerMessage = 5;

    public bool Handles(string account) => options.Value.CustomerServicePush && account == options.Value.AccountId;

    public async Task<bool> PushAsync(Follower follower, TurnRecord turn, CancellationToken ct)
    {
        var pages = paginator.Paginate(turn.Answer!);
        for (var pushed = 0; pushed < MaxPushesPerMessage; pushed++)
        {
            var index = await turns.TakePageAsync(follower, turn.MessageKey, ct);
            if (index >= pages.Count)
            {
                break;
            }

            try
            {
                await api.SendTextAsync(follower.Id, pages[(int)index].Text, ct);
                metrics.Delivered(DeliveryOutcome.Pushed);
            }
            catch (PlatformApiException ex)
            {
                log.LogWarning("Customer-service push refused (errcode {ErrCode}); the answer stays available through 1.", ex.ErrorCode);
                await turns.ReturnPageAsync(follower, turn.MessageKey, index, ct);
                await notices.LeaveAsync(follower, ct);
                metrics.Delivered(DeliveryOutcome.PushFallback);
                return false;
            }
        }

        return true;
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
