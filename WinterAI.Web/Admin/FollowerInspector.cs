using Microsoft.Extensions.Options;
using WinterAI.Domain;
using WinterAI.Domain.Turns;

namespace WinterAI.Web.Admin;

/// <summary>Reads a follower's state for the admin API without changing it (no sliding expiry, no page taken).</summary>
public sealed class FollowerInspector(
    ConversationStore conversations,
    TurnStore turns,
    AnswerPaginator paginator,
    FollowerQuota quota,
    IOptionsMonitor<LimitsOptions> limits)
{
    public async Task<FollowerState> InspectAsync(Follower follower, CancellationToken ct)
    {
        var history = await turns.HistoryAsync(follower, ct);
        var states = new List<TurnState>(history.Count);
        foreach (var turn in history)
        {
            var pages = turn.Answer is null ? [] : paginator.Paginate(turn).Select(p => p.Text).ToList();
            states.Add(new TurnState(
                turn.MessageKey,
                turn.Question,
                DateTimeOffset.FromUnixTimeMilliseconds(turn.AskedAtUnixMs),
                turn.IsAnswered,
                turn.Failed,
                turn.Answer,
                pages,
                await turns.PagesReadAsync(follower, turn.MessageKey, ct)));
        }

        var (minute, day) = await quota.UsageAsync(follower, ct);
        var limit = limits.CurrentValue;
        return new FollowerState(
            follower.Account,
            follower.Id,
            await conversations.PeekAsync(follower, ct),
            states,
            await turns.QueuedAsync(follower, ct),
            new QuotaUse(minute, limit.PerMinute, day, limit.PerDay));
    }
}
