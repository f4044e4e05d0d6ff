using System.Text.Json;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Turns;

/// <summary>
/// Per follower: the recent turns (history), the queue of turns waiting for Dify, and how many pages of each
/// answer were handed out. Everything expires after <see cref="RedisOptions.AnswerTtl"/>.
/// </summary>
public sealed class TurnStore(IStateStore store, StoreKeys keys, IOptions<RedisOptions> options, TimeProvider time)
{
    /// <summary>Older turns drop out of the history; their answers stay until they expire.</summary>
    public const int HistoryLength = 20;

    private TimeSpan AnswerTtl => options.Value.AnswerTtl;

    public Task EnqueueAsync(Follower follower, string messageKey, string question, CancellationToken ct) =>
        EnqueueAsync(follower, messageKey, new Intent.Ask(question), ct);

    /// <summary>Queues the question with what goes to Dify with it: pictures and the app's inputs.</summary>
    public async Task EnqueueAsync(Follower follower, string messageKey, Intent.Ask ask, CancellationToken ct)
    {
        var turn = new TurnRecord(
            messageKey,
            ask.Question,
            time.GetUtcNow().ToUnixTimeMilliseconds(),
            Attachments: ask.Attachments is { Count: > 0 } attachments ? attachments : null,
            Inputs: ask.Inputs is { Count: > 0 } inputs ? inputs : null,
            Spoken: ask.Spoken);
        await RecordAsync(follower, turn, ct);
        await store.ListAppendAsync(keys.Queue(follower.Account, follower.Id), messageKey, AnswerTtl, ct);
    }

    /// <summary>Saves a turn and appends it to the history without queueing it: the H5 page runs its own turns.</summary>
    public async Task RecordAsync(Follower follower, TurnRecord turn, CancellationToken ct)
    {
        await SaveAsync(follower, turn, ct);
        var length = await store.ListAppendAsync(keys.History(follower.Account, follower.Id), turn.MessageKey, AnswerTtl, ct);
        for (; length > HistoryLength; length--)
        {
            await store.ListPopFirstAsync(keys.History(follower.Account, follower.Id), ct);
        }
    }

    public async Task<TurnRecord?> GetAsync(Follower follower, string messageKey, CancellationToken ct)
    {
        var json = await store.GetAsync(keys.Turn(follower, messageKey), ct);
        return json is null ? null : JsonSerializer.Deserialize(json, DeliveryJsonContext.Default.TurnRecord);
    }

    public Task SaveAsync(Follower follower, TurnRecord turn, CancellationToken ct) =>
        store.SetAsync(keys.Turn(follower, turn.MessageKey), Serialize(turn), AnswerTtl, ct);

    /// <summary>
    /// In one atomic step: saves the finished turn, takes it off the head of the queue, hands the runner's lease back
    /// when nothing is left queued, and wakes the deliveries waiting for it on every instance. True when the lease was
    /// handed back.
    /// </summary>
    public Task<bool> CompleteAsync(Follower follower, TurnRecord turn, StoreLease lease, CancellationToken ct) =>
        store.CompleteQueueHeadAsync(
            new QueueHeadCompletion(
                keys.Turn(follower, turn.MessageKey),
                Serialize(turn),
                AnswerTtl,
                keys.Queue(follower.Account, follower.Id),
                turn.MessageKey,
                lease.Key,
                lease.Token,
                keys.AnswerChannel(follower.Account),
                StoreKeys.Message(follower, turn.MessageKey)),
            ct);

    private static string Serialize(TurnRecord turn) => JsonSerializer.Serialize(turn, DeliveryJsonContext.Default.TurnRecord);

    /// <summary>The follower's recent turns, oldest first (expired ones left out).</summary>
    public async Task<IReadOnlyList<TurnRecord>> HistoryAsync(Follower follower, CancellationToken ct)
    {
        var messageKeys = await store.ListAllAsync(keys.History(follower.Account, follower.Id), ct);
        var turns = new List<TurnRecord>(messageKeys.Count);
        foreach (var messageKey in messageKeys)
        {
            if (await GetAsync(follower, messageKey, ct) is { } turn)
            {
                turns.Add(turn);
            }
        }

        return turns;
    }

    public Task<IReadOnlyList<string>> QueuedAsync(Follower follower, CancellationToken ct) =>
        store.ListAllAsync(keys.Queue(follower.Account, follower.Id), ct);

    /// <summary>
    /// Queues an unanswered turn again when it is in no queue: a Redis failover can lose a write the old master
    /// acknowledged (the queue entry, or the whole turn), which would leave the follower waiting forever. Harmless when
    /// the turn was answered meanwhile: the runner completes an answered turn without asking Dify.
    /// </summary>
    public Task RequeueIfLostAsync(Follower follower, string messageKey, string question, CancellationToken ct) =>
        RequeueIfLostAsync(follower, messageKey, new Intent.Ask(question), ct);

    /// <inheritdoc cref="RequeueIfLostAsync(Follower, string, string, CancellationToken)"/>
    public async Task RequeueIfLostAsync(Follower follower, string messageKey, Intent.Ask ask, CancellationToken ct)
    {
        var turn = await GetAsync(follower, messageKey, ct);
        if (turn is null)
        {
            await EnqueueAsync(follower, messageKey, ask, ct);
        }
        else if (!turn.IsAnswered && !(await QueuedAsync(follower, ct)).Contains(messageKey))
        {
            await store.ListAppendAsync(keys.Queue(follower.Account, follower.Id), messageKey, AnswerTtl, ct);
        }
    }

    public Task<string?> DequeueAsync(Follower follower, CancellationToken ct) =>
        store.ListPopFirstAsync(keys.Queue(follower.Account, follower.Id), ct);

    public async Task<long> PagesReadAsync(Follower follower, string messageKey, CancellationToken ct) =>
        long.TryParse(await store.GetAsync(keys.PagesRead(follower, messageKey), ct), out var read) ? read : 0;

    /// <summary>Atomically takes the next page number (0-based), so two deliveries never hand out the same page.</summary>
    public async Task<long> TakePageAsync(Follower follower, string messageKey, CancellationToken ct) =>
        await store.IncrementAsync(keys.PagesRead(follower, messageKey), AnswerTtl, ct) - 1;

    /// <summary>Gives a taken page back (its push failed), so <c>1</c> hands it out next.</summary>
    public Task ReturnPageAsync(Follower follower, string messageKey, long page, CancellationToken ct) =>
        store.SetAsync(keys.PagesRead(follower, messageKey), page.ToString(System.Globalization.CultureInfo.InvariantCulture), AnswerTtl, ct);

    /// <summary>Counts every page of the answer as read (the follower saw it whole on the H5 page), so <c>1</c> does not hand it out as new.</summary>
    public Task MarkReadAsync(Follower follower, string messageKey, int pages, CancellationToken ct) =>
        store.SetAsync(keys.PagesRead(follower, messageKey), pages.ToString(System.Globalization.CultureInfo.InvariantCulture), AnswerTtl, ct);

    /// <summary>Starts reading the answer again from its first page, which the caller hands out.</summary>
    public Task RestartReadingAsync(Follower follower, string messageKey, CancellationToken ct) =>
        store.SetAsync(keys.PagesRead(follower, messageKey), "1", AnswerTtl, ct);
}
