using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Conversations;
using WinterAI.Domain.Delivery;
using WinterAI.Domain.Platform;

namespace WinterAI.Domain.WeChat.Api;

/// <summary>
/// Pushes answers that missed the last passive delivery through the customer-service API (accounts with
/// <see cref="WeChatOptions.CustomerServicePush"/>). A long answer goes out as consecutive pages within the
/// platform's per-message quota, only the last one pushed keeping its "reply 1 for the next part" footer (and only
/// when a part is left); the rest stays for <c>1</c>. When the platform refuses (48001 no permission,
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
        if (turn.Answer is null)
        {
            throw new ArgumentException("Only an answered turn can be pushed.", nameof(turn));
        }

        var pages = paginator.Paginate(turn.Answer);
        for (var pushed = 0; pushed < MaxPushesPerMessage; pushed++)
        {
            // Look before taking, as 1 does: taking past the last page would leave the count above the page count.
            if (await turns.PagesReadAsync(follower, turn.MessageKey, ct) >= pages.Count)
            {
                break;
            }

            var index = (int)await turns.TakePageAsync(follower, turn.MessageKey, ct);
            if (index >= pages.Count)
            {
                break;
            }

            // A page whose successor follows at once goes without the "reply 1 for the next part" footer.
            var followedByPush = index + 1 < pages.Count && pushed + 1 < MaxPushesPerMessage;
            try
            {
                await api.SendTextAsync(follower.Id, followedByPush ? pages[index].Body : pages[index].Text, ct);
                metrics.Delivered(DeliveryOutcome.Pushed);
            }
            catch (PlatformApiException ex)
            {
                log.LogWarning("Customer-service push refused (errcode {ErrCode}); the answer stays available through 1.", ex.ErrorCode);
                await FallBackAsync(follower, turn.MessageKey, index, ct);
                return false;
            }
            catch (OperationCanceledException)
            {
                // Shutting down mid-push: the page may not have gone out, so 1 must still find it.
                await FallBackAsync(follower, turn.MessageKey, index, CancellationToken.None);
                throw;
            }
        }

        return true;
    }

    private async Task FallBackAsync(Follower follower, string messageKey, int page, CancellationToken ct)
    {
        await turns.ReturnPageAsync(follower, messageKey, page, ct);
        await notices.LeaveAsync(follower, ct);
        metrics.Delivered(DeliveryOutcome.PushFallback);
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
