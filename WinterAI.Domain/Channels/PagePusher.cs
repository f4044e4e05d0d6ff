using Microsoft.Extensions.Logging;
using WinterAI.Domain.Protocol.Platform;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels;

/// <summary>
/// The part every push channel shares: hand out the answer's unread pages one message each, up to the channel's
/// limit, taking each page atomically so <c>1</c> never repeats one. A page whose successor follows at once goes
/// without the "reply 1 for the next part" footer. When the platform refuses (or shutdown interrupts a send) the
/// page goes back to <c>1</c> and the follower is told with their next reply: a push is never silently lost. A picture's
/// page (after the text pages) goes as a picture where the channel can send one, else as its link.
/// </summary>
public sealed class PagePusher(TurnStore turns, AnswerPaginator paginator, SuggestedQuestions suggestions, FollowerNotices notices, DeliveryMetrics metrics, ILogger<PagePusher> log)
{
    /// <param name="sendImage">Sends a picture's page natively; false when the picture could not be fetched or uploaded, and
    /// its link goes through <paramref name="send"/> instead. Null: every picture goes as its link.</param>
    /// <returns>False when the platform refused a page and the answer fell back to <c>1</c>.</returns>
    public async Task<bool> PushAsync(
        Follower follower,
        TurnRecord turn,
        int maxMessages,
        string channel,
        Func<string, CancellationToken, Task> send,
        CancellationToken ct,
        Func<AnswerImage, CancellationToken, Task<bool>>? sendImage = null)
    {
        if (turn.Answer is null)
        {
            throw new ArgumentException("Only an answered turn can be pushed.", nameof(turn));
        }

        var pages = paginator.Paginate(turn);
        for (var sent = 0; sent < maxMessages; sent++)
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

            var followedAtOnce = index + 1 < pages.Count && sent + 1 < maxMessages;
            try
            {
                if (pages[index].Image is not { } image || sendImage is null || !await sendImage(image, ct))
                {
                    var text = pages[index].IsLast
                        ? await suggestions.AppendAsync(follower, turn.MessageKey, pages[index].Text, AnswerPaginator.MaxReplyBytes, ct)
                        : followedAtOnce ? pages[index].Body : pages[index].Text;
                    await send(text, ct);
                }

                metrics.Delivered(follower.Account, DeliveryOutcome.Pushed);
            }
            catch (PlatformApiException ex)
            {
                log.LogWarning("{Channel} refused part {Part} of an answer (errcode {ErrCode}); the answer stays available through 1.", channel, index + 1, ex.ErrorCode);
                await FallBackAsync(follower, turn.MessageKey, index, ct);
                return false;
            }
            catch (OperationCanceledException)
            {
                // Shutting down mid-send: the page may not have gone out, so 1 must still find it.
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
        metrics.Delivered(follower.Account, DeliveryOutcome.PushFallback);
    }
}
