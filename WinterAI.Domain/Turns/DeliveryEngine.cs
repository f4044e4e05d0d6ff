using System.Text.Json;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Turns;

/// <summary>
/// Gets every answer to the follower exactly once by the best channel available (DESIGN.md, "The hard
/// problem"): the first delivery of a message claims it and queues one Dify turn; every delivery, on any
/// instance, waits for that turn up to the reply window; deliveries before the last may lapse so the
/// platform retries; the last one replies the answer, hands it to a push channel, or replies the wait
/// message and keeps the answer for <c>1</c>. Pages handed out are counted atomically, so an answer page
/// is never given twice however deliveries and <c>1</c> interleave.
/// </summary>
public sealed class DeliveryEngine(
    IStateStore store,
    StoreKeys keys,
    TurnStore turns,
    TurnRunner runner,
    AnswerSignals signals,
    AnswerPaginator paginator,
    SuggestedQuestions suggestions,
    FollowerQuota quota,
    DeliveryMetrics metrics,
    IOptions<RedisOptions> storeOptions,
    IOptionsMonitor<MessagesOptions> messages)
{
    public const string PushOutcome = "push";

    private TimeSpan MessageTtl => storeOptions.Value.MessageTtl;

    /// <summary>A question: one Dify turn however many deliveries arrive, on however many instances.</summary>
    public Task<DeliveryReply> AskAsync(Follower follower, string messageKey, string question, DateTimeOffset arrivedAt, DeliveryPolicy policy, CancellationToken ct) =>
        AskAsync(follower, messageKey, new Intent.Ask(question), arrivedAt, policy, ct);

    /// <inheritdoc cref="AskAsync(Follower, string, string, DateTimeOffset, DeliveryPolicy, CancellationToken)"/>
    public async Task<DeliveryReply> AskAsync(Follower follower, string messageKey, Intent.Ask ask, DateTimeOffset arrivedAt, DeliveryPolicy policy, CancellationToken ct)
    {
        var delivery = await store.IncrementAsync(keys.Deliveries(follower, messageKey), MessageTtl, ct);
        if (await RecalledReplyAsync(follower, messageKey, ct) is { } recalled)
        {
            return recalled;
        }

        if (await store.SetIfAbsentAsync(keys.Claim(follower, messageKey), runner.InstanceId, MessageTtl, ct))
        {
            if (!await quota.TryConsumeAsync(follower, ct))
            {
                metrics.Delivered(follower.Account, DeliveryOutcome.QuotaExceeded);
                return await RememberAsync(follower, messageKey, DeliveryReply.Say(messages.CurrentValue.QuotaExceeded), ct);
            }

            // Before queueing: a runner already draining this follower's queue may answer the turn at once, and must
            // then see that it is to be pushed.
            if (policy.PushAlways)
            {
                await store.SetAsync(keys.Outcome(follower, messageKey), PushOutcome, MessageTtl, ct);
            }

            await turns.EnqueueAsync(follower, messageKey, ask, ct);
        }
        else
        {
            // A later delivery: the first one's writes may have been lost in a Redis failover.
            await turns.RequeueIfLostAsync(follower, messageKey, ask, ct);
        }

        // Also on later deliveries: if the instance that ran this queue died, its lock has expired and this restarts it.
        runner.Kick(follower);

        if (policy.PushAlways)
        {
            return DeliveryReply.Nothing;
        }

        if (await WaitForAnswerAsync(follower, messageKey, arrivedAt + policy.ReplyWindow, ct))
        {
            var page = await NextPageAsync(follower, messageKey, ct);
            metrics.Delivered(follower.Account, DeliveryOutcome.Answered, delivery);
            return await RememberAsync(follower, messageKey, page, ct);
        }

        if (delivery < policy.Deliveries && policy.HoldForRetry)
        {
            metrics.Delivered(follower.Account, DeliveryOutcome.Held, delivery);
            return DeliveryReply.Hold;
        }

        if (policy.CanPush)
        {
            var handed = await HandToPushAsync(follower, messageKey, ct);
            metrics.Delivered(follower.Account, handed.Kind == DeliveryReplyKind.Text ? DeliveryOutcome.Answered : DeliveryOutcome.HandedToPush, delivery);
            return await RememberAsync(follower, messageKey, handed, ct);
        }

        metrics.Delivered(follower.Account, DeliveryOutcome.WaitMessage, delivery);
        return await RememberAsync(follower, messageKey, DeliveryReply.Say(messages.CurrentValue.Wait), ct);
    }

    /// <summary>
    /// <c>1</c>: the oldest answer with unread pages gets its next page; else the pending answer (waited for up to the
    /// reply window); else the newest answer again from its first page. Never enqueues anything.
    /// </summary>
    public async Task<DeliveryReply> FetchAsync(Follower follower, string messageKey, DateTimeOffset arrivedAt, DeliveryPolicy policy, CancellationToken ct)
    {
        if (await RecalledReplyAsync(follower, messageKey, ct) is { } recalled)
        {
            return recalled;
        }

        if (!await store.SetIfAbsentAsync(keys.Claim(follower, messageKey), runner.InstanceId, MessageTtl, ct))
        {
            // A retry of a `1` another delivery is answering: wait for its reply instead of reading a second page.
            var decided = await signals.WaitAsync(follower, messageKey, async c => await store.GetAsync(keys.Reply(follower, messageKey), c) is not null, arrivedAt + policy.ReplyWindow, ct);
            return decided && await RecalledReplyAsync(follower, messageKey, ct) is { } reply ? reply : DeliveryReply.Hold;
        }

        var fetched = await FetchNextAsync(follower, arrivedAt + policy.ReplyWindow, ct);
        metrics.Delivered(follower.Account, DeliveryOutcome.Fetched);
        var remembered = await RememberAsync(follower, messageKey, fetched, ct);
        await signals.PublishAsync(follower, messageKey, ct);
        return remembered;
    }

    private async Task<DeliveryReply> FetchNextAsync(Follower follower, DateTimeOffset deadline, CancellationToken ct)
    {
        var history = await turns.HistoryAsync(follower, ct);
        foreach (var turn in history.Where(t => t.IsAnswered))
        {
            if (await TryUnreadPageAsync(follower, turn, ct) is { } page)
            {
                return page;
            }
        }

        if (history.FirstOrDefault(t => !t.IsAnswered) is { } pending)
        {
            await turns.RequeueIfLostAsync(follower, pending.MessageKey, new Intent.Ask(pending.Question, pending.Attachments, pending.Inputs), ct);
            runner.Kick(follower);
            if (await WaitForAnswerAsync(follower, pending.MessageKey, deadline, ct)
                && await turns.GetAsync(follower, pending.MessageKey, ct) is { } answered
                && await TryUnreadPageAsync(follower, answered, ct) is { } page)
            {
                return page;
            }

            return DeliveryReply.Say(messages.CurrentValue.StillThinking);
        }

        if (history.LastOrDefault(t => t.IsAnswered) is { } newest)
        {
            await turns.RestartReadingAsync(follower, newest.MessageKey, ct);
            return DeliveryReply.Say(WithQuestion(newest, await ShownAsync(follower, newest, paginator.Paginate(newest)[0], ct)));
        }

        return DeliveryReply.Say(messages.CurrentValue.NoAnswer);
    }

    private async Task<DeliveryReply?> TryUnreadPageAsync(Follower follower, TurnRecord turn, CancellationToken ct)
    {
        var pages = paginator.Paginate(turn);
        if (await turns.PagesReadAsync(follower, turn.MessageKey, ct) >= pages.Count)
        {
            return null;
        }

        var index = await turns.TakePageAsync(follower, turn.MessageKey, ct);
        if (index >= pages.Count)
        {
            return null;
        }

        var page = await ShownAsync(follower, turn, pages[(int)index], ct);
        return index == 0 ? DeliveryReply.Say(WithQuestion(turn, page)) : DeliveryReply.Page(page, page.Text);
    }

    /// <summary>The answer's first page under its question; a voice question's answer already begins with what was heard.</summary>
    private string WithQuestion(TurnRecord turn, AnswerPage page) =>
        turn.Heard is not null && messages.CurrentValue.VoiceHeard.Length > 0 ? page.Text : paginator.WithQuestion(turn.Question, page);

    private async Task<DeliveryReply> NextPageAsync(Follower follower, string messageKey, CancellationToken ct)
    {
        var turn = await turns.GetAsync(follower, messageKey, ct);
        if (turn?.Answer is null)
        {
            return DeliveryReply.Nothing;
        }

        var pages = paginator.Paginate(turn);
        var index = await turns.TakePageAsync(follower, messageKey, ct);

        // Past the last page: `1` already handed the answer out, so this delivery must not repeat it.
        if (index >= pages.Count)
        {
            return DeliveryReply.Nothing;
        }

        var shown = await ShownAsync(follower, turn, pages[(int)index], ct);
        // A short answer to a spoken question, read out (Dify:VoiceReplies): the voice instead of the text, which `1` shows.
        return index == 0 && pages.Count == 1 && turn.VoiceMediaId is { } voice
            ? DeliveryReply.Voice(voice, shown.Text)
            : DeliveryReply.Page(shown, shown.Text);
    }

    /// <summary>The page as handed out: the last one ends with the questions suggested after the answer, once they have arrived.</summary>
    private async Task<AnswerPage> ShownAsync(Follower follower, TurnRecord turn, AnswerPage page, CancellationToken ct) =>
        page.IsLast && page.Image is null && !turn.Failed
            ? page with { Text = await suggestions.AppendAsync(follower, turn.MessageKey, page.Text, AnswerPaginator.MaxReplyBytes - AnswerPaginator.HeaderBytes, ct) }
            : page;

    /// <summary>
    /// The last delivery found no answer: ask for a push, then look once more. The runner looks for the push request
    /// after writing the answer, so at least one side sees the other; the <c>pushed</c> claim makes it exactly one.
    /// </summary>
    private async Task<DeliveryReply> HandToPushAsync(Follower follower, string messageKey, CancellationToken ct)
    {
        await store.SetAsync(keys.Outcome(follower, messageKey), PushOutcome, MessageTtl, ct);
        if ((await turns.GetAsync(follower, messageKey, ct))?.IsAnswered == true
            && await store.SetIfAbsentAsync(keys.Pushed(follower, messageKey), runner.InstanceId, MessageTtl, ct))
        {
            return await NextPageAsync(follower, messageKey, ct);
        }

        return DeliveryReply.Nothing;
    }

    private Task<bool> WaitForAnswerAsync(Follower follower, string messageKey, DateTimeOffset deadline, CancellationToken ct) =>
        signals.WaitAsync(follower, messageKey, async c => (await turns.GetAsync(follower, messageKey, c))?.IsAnswered == true, deadline, ct);

    private async Task<DeliveryReply?> RecalledReplyAsync(Follower follower, string messageKey, CancellationToken ct)
    {
        var json = await store.GetAsync(keys.Reply(follower, messageKey), ct);
        return json is null ? null : JsonSerializer.Deserialize(json, DeliveryJsonContext.Default.DeliveryReply);
    }

    private async Task<DeliveryReply> RememberAsync(Follower follower, string messageKey, DeliveryReply reply, CancellationToken ct)
    {
        await store.SetAsync(keys.Reply(follower, messageKey), JsonSerializer.Serialize(reply, DeliveryJsonContext.Default.DeliveryReply), MessageTtl, ct);
        return reply;
    }
}
