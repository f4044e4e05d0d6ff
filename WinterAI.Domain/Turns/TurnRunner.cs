using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Turns;

/// <summary>
/// Runs each follower's queue of questions through Dify, one at a time and in order, on whichever instance
/// holds the follower's runner lock. Runs are not tied to any HTTP request: WeChat abandons its requests, the
/// Dify call carries on. The lock is a lease renewed while the run lives, so no other instance starts the same
/// turn; when the holder dies the lease runs out within seconds and a later delivery or <c>1</c> kicks the queue
/// again. Each answered turn is completed in one atomic store step (saved, dequeued, lock handed back when the
/// queue is empty, waiters woken), so no failure can leave an answer saved with the lock stuck, or a lock free
/// with the answer unsaved.
/// </summary>
public sealed class TurnRunner(
    IStateStore store,
    StoreKeys keys,
    TurnStore turns,
    TurnEngine engine,
    FollowerLock followerLock,
    ChannelDirectory channels,
    DifyGate gate,
    SuggestedQuestions suggestions,
    SuggestedQuestionsFetcher fetcher,
    AnswerPaginator paginator,
    DeliveryMetrics metrics,
    IOptions<RedisOptions> storeOptions,
    IOptionsMonitor<MessagesOptions> messages,
    TimeProvider time,
    ILogger<TurnRunner> log)
{
    private readonly BackgroundWork background = new(time);

    /// <summary>Identifies this process in claims and locks.</summary>
    public string InstanceId => followerLock.InstanceId;

    /// <summary>Marks the push of the questions suggested after an answer, next to the answer's own <c>pushed</c> claim.</summary>
    private const string SuggestionsSuffix = ":suggested";

    private static readonly TimeSpan TypingRenewal = TimeSpan.FromSeconds(12);

    /// <summary>How often an answer the store did not take is offered again.</summary>
    public static readonly TimeSpan SaveRetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>Runs the follower's queue here unless another run (on any instance) already does.</summary>
    public void Kick(Follower follower) => background.TryRun(ct => RunQueueAsync(follower, ct));

    private async Task RunQueueAsync(Follower follower, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await using (var lease = await followerLock.TryTakeAsync(follower, "queue", ct))
                {
                    if (lease is null)
                    {
                        return;
                    }

                    await DrainAsync(follower, lease, ct);
                }

                // A question queued between our last look and the release found the lock taken: look again.
                if ((await turns.QueuedAsync(follower, ct)).Count == 0)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            log.LogInformation("Shutting down: a queued turn is left for another instance or a later delivery.");
        }
        catch (StoreUnavailableException ex)
        {
            log.LogWarning("Store unavailable while running a queue; a later delivery retries it: {Reason}", ex.Message);
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Running a follower's queue failed.");
        }
    }

    /// <summary>Answers the follower's queued turns in order until the queue is empty or the lease is lost.</summary>
    private async Task DrainAsync(Follower follower, StoreLease lease, CancellationToken ct)
    {
        while (!lease.Lost)
        {
            var queued = await turns.QueuedAsync(follower, ct);
            if (queued.Count == 0)
            {
                return;
            }

            if (await turns.GetAsync(follower, queued[0], ct) is not { } turn)
            {
                // Expired while queued: nothing to answer or wake.
                await turns.DequeueAsync(follower, ct);
                continue;
            }

            var fresh = !turn.IsAnswered;
            if (fresh)
            {
                turn = await AnswerAsync(follower, turn, ct);
                await fetcher.PrepareAsync(follower, turn, ct);
            }

            var released = await CompleteAsync(follower, turn, lease, ct);
            await HandOverAsync(follower, turn, ct);
            if (fresh)
            {
                // After the answer is out: fetching the suggestions never delays it.
                _ = SuggestAsync(follower, turn);
            }

            if (released)
            {
                return;
            }
        }
    }

    private async Task<TurnRecord> AnswerAsync(Follower follower, TurnRecord turn, CancellationToken ct)
    {
        var texts = messages.CurrentValue;
        using var slot = await gate.EnterAsync(ct);
        if (slot is null)
        {
            metrics.Delivered(follower.Account, DeliveryOutcome.Busy);
            return turn with { Answer = texts.Busy, Failed = true, AnsweredAtUnixMs = Now() };
        }

        using var typing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pusher = channels.For(follower.Account)?.Pusher;
        var typingLoop = pusher is not null ? ShowTypingAsync(pusher, follower, typing.Token) : Task.CompletedTask;
        try
        {
            return await engine.AnswerAsync(follower, turn, onProgress: null, stoppable: false, ct);
        }
        finally
        {
            await typing.CancelAsync();
            await typingLoop;
        }
    }

    /// <summary>
    /// Completes the turn (<see cref="TurnStore.CompleteAsync"/>: answer saved, queue advanced, lease handed back when
    /// nothing is left, waiters woken — atomically). Dify's answer is kept in memory until the store takes it: a store
    /// that fails over mid-turn must not cost a second Dify call. Offered again every <see cref="SaveRetryInterval"/>
    /// for as long as one turn may hold the follower's lock; after that the turn is left to be asked again.
    /// </summary>
    private async Task<bool> CompleteAsync(Follower follower, TurnRecord turn, StoreLease lease, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + followerLock.LongestHold;
        // An attempt whose reply was lost may have handed the lease back already: a renewal finding it gone is no loss.
        lease.HandingOver();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var released = await turns.CompleteAsync(follower, turn, lease, ct);
                if (!released)
                {
                    lease.StillHolding();
                }

                return released;
            }
            catch (StoreUnavailableException ex) when (time.GetUtcNow() < deadline)
            {
                if (attempt == 1)
                {
                    log.LogWarning("Could not save an answer; keeping it to save again: {Reason}", ex.Message);
                }

                await Task.Delay(SaveRetryInterval, time, ct);
            }
            catch
            {
                lease.StillHolding();
                throw;
            }
        }
    }

    /// <summary>WeChat shows "typing…" for about 15 s per call; renew it until the answer is ready.</summary>
    private async Task ShowTypingAsync(IAnswerPusher pusher, Follower follower, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await pusher.TypingAsync(follower, ct);
                await Task.Delay(TypingRenewal, time, ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            log.LogDebug(ex, "Typing indicator stopped.");
        }
    }

    /// <summary>
    /// Pushes the answer when a delivery asked for it. Either this check sees the push request or that
    /// delivery sees the answer (it writes its request before looking); the <c>pushed</c> claim keeps it to one.
    /// </summary>
    private async Task HandOverAsync(Follower follower, TurnRecord turn, CancellationToken ct)
    {
        if (await store.GetAsync(keys.Outcome(follower, turn.MessageKey), ct) != DeliveryEngine.PushOutcome)
        {
            return;
        }

        var pusher = channels.For(follower.Account)?.Pusher;
        if (pusher is not null && await store.SetIfAbsentAsync(keys.Pushed(follower, turn.MessageKey), InstanceId, storeOptions.Value.MessageTtl, ct))
        {
            await pusher.PushAsync(follower, turn, ct);
        }
    }

    /// <summary>
    /// Fetches the questions suggested after the answer. An answer pushed whole before they arrived (WeCom, a service
    /// account) gets them as a message of its own; elsewhere they end the last page whenever it is shown.
    /// </summary>
    private async Task SuggestAsync(Follower follower, TurnRecord turn)
    {
        var questions = await fetcher.FetchAsync(follower, turn, CancellationToken.None);
        if (questions.Count == 0 || channels.For(follower.Account)?.Pusher is not { } pusher)
        {
            return;
        }

        try
        {
            var ttl = storeOptions.Value.MessageTtl;
            if (await store.GetAsync(keys.Pushed(follower, turn.MessageKey), CancellationToken.None) is not null
                && await turns.PagesReadAsync(follower, turn.MessageKey, CancellationToken.None) >= paginator.Paginate(turn.Answer!).Count
                && await store.SetIfAbsentAsync(keys.Pushed(follower, turn.MessageKey + SuggestionsSuffix), InstanceId, ttl, CancellationToken.None))
            {
                using var timeout = new CancellationTokenSource(SuggestedQuestionsFetcher.FetchTimeout);
                await pusher.PushTextAsync(follower, suggestions.Lettered(questions, AnswerPaginator.MaxReplyBytes).TrimStart('\n'), timeout.Token);
            }
        }
        catch (Exception ex)
        {
            // Best effort, on no request's behalf: they still end the last page when `1` shows it again.
            log.LogInformation("The suggested questions were not pushed: {Reason}", ex.Message);
        }
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Lets running turns finish within the host's shutdown timeout, then cancels them and waits briefly for them
    /// to release their locks, so another instance can retry them at once instead of after the lock expires.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken) => background.StopAsync(cancellationToken);
}
