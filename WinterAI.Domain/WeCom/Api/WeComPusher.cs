using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Conversations;
using WinterAI.Domain.Delivery;
using WinterAI.Domain.Platform;

namespace WinterAI.Domain.WeCom.Api;

/// <summary>
/// Sends every finished answer of the WeCom app through message/send (the callback itself answers empty). A long
/// answer goes out as consecutive parts of at most 2048 bytes, the pages <c>1</c> would hand out, without the
/// "reply 1 for the next part" footer while the next part follows at once. When WeCom refuses a part, that part
/// and the rest stay available through <c>1</c> and the member is told on their next message.
/// </summary>
public sealed class WeComPusher(
    IOptions<WeComOptions> options,
    WeComApiClient api,
    TurnStore turns,
    AnswerPaginator paginator,
    FollowerNotices notices,
    DeliveryMetrics metrics,
    ILogger<WeComPusher> log) : IAnswerPusher
{
    /// <summary>
    /// WeCom silently drops messages beyond 30 per minute from one app to one member, so one answer sends at most
    /// this many parts; the last one sent keeps its footer and <c>1</c> brings the rest.
    /// </summary>
    public const int MaxMessagesPerAnswer = 10;

    public bool Handles(string account) => options.Value.IsEnabled && account == options.Value.AccountId;

    public bool KeepsMarkdown => options.Value.MessageType == WeComMessageType.Markdown;

    public async Task<bool> PushAsync(Follower follower, TurnRecord turn, CancellationToken ct)
    {
        if (turn.Answer is null)
        {
            throw new ArgumentException("Only an answered turn can be pushed.", nameof(turn));
        }

        var pages = paginator.Paginate(turn.Answer);
        for (var sent = 0; sent < MaxMessagesPerAnswer; sent++)
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

            var followedAtOnce = index + 1 < pages.Count && sent + 1 < MaxMessagesPerAnswer;
            try
            {
                await api.SendAsync(follower.Id, followedAtOnce ? pages[index].Body : pages[index].Text, ct);
                metrics.Delivered(DeliveryOutcome.Pushed);
            }
            catch (PlatformApiException ex)
            {
                log.LogWarning("WeCom message/send refused part {Part} of an answer (errcode {ErrCode}); the answer stays available through 1.", index + 1, ex.ErrorCode);
                await FallBackAsync(follower, turn.MessageKey, index, ct);
                return false;
            }
            catch (OperationCanceledException)
            {
                // Shutting down mid-send: the part may not have gone out, so 1 must still find it.
                await FallBackAsync(follower, turn.MessageKey, index, CancellationToken.None);
                throw;
            }
        }

        return true;
    }

    /// <summary>WeCom has no typing indicator.</summary>
    public Task TypingAsync(Follower follower, CancellationToken ct) => Task.CompletedTask;

    private async Task FallBackAsync(Follower follower, string messageKey, int page, CancellationToken ct)
    {
        await turns.ReturnPageAsync(follower, messageKey, page, ct);
        await notices.LeaveAsync(follower, ct);
        metrics.Delivered(DeliveryOutcome.PushFallback);
    }
}
