using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.ChatPage;

/// <summary>
/// Questions asked on the H5 page: answered in the follower's one Dify conversation (shared with the official
/// account), streamed as Dify produces them, and kept in the same history that <c>1</c> reads.
/// </summary>
/// <remarks>
/// A page turn runs inside the page's request (so it can stream, and stopping it is closing the stream) but under
/// the follower's runner lock, the one <see cref="TurnRunner"/> holds while it answers queued WeChat questions: a
/// page question and a WeChat question never run in the same conversation at once, in any order, on any instance.
/// When the lock is taken the page waits (and says so), and when the page turn is over it hands the lock back and
/// kicks the runner for any WeChat question that queued meanwhile. The quota, the Dify gate and the Dify client
/// (its retries, timeouts and circuit breaker) are the ones the callbacks use.
/// </remarks>
public sealed class ChatService(
    IStateStore store,
    StoreKeys keys,
    TurnStore turns,
    TurnRunner runner,
    ConversationStore conversations,
    ConversationService conversation,
    AnswerSignals signals,
    AnswerPaginator paginator,
    IDifyClient dify,
    DifyGate gate,
    FollowerQuota quota,
    DeliveryMetrics metrics,
    ChatStops stops,
    IOptionsMonitor<MessagesOptions> messages,
    TimeProvider time,
    ILogger<ChatService> log)
{
    /// <summary>Longest question the page takes, in characters (WeChat itself allows about as much).</summary>
    public const int MaxQuestionLength = 2000;

    public async Task<IReadOnlyList<ChatTurn>> HistoryAsync(Follower follower, CancellationToken ct) =>
        ChatTurn.From(await turns.HistoryAsync(follower, ct));

    /// <summary>"New conversation": exactly what <c>/clear</c> does in WeChat. Returns the text to show.</summary>
    public async Task<string> ClearAsync(Follower follower, CancellationToken ct) =>
        (await conversation.ClearAsync(follower, ct)).Text ?? messages.CurrentValue.Cleared;

    public Task StopAsync(Follower follower, CancellationToken ct) => stops.StopAsync(follower, ct);

    /// <summary>
    /// Answers <paramref name="question"/>, telling <paramref name="emit"/> how it goes. Returns when the turn is over;
    /// throws only when <paramref name="ct"/> fires before the turn started (nothing is recorded then).
    /// </summary>
    public async Task AskAsync(Follower follower, string question, Func<ChatEvent, CancellationToken, ValueTask> emit, CancellationToken ct)
    {
        var texts = messages.CurrentValue;
        question = question.Trim();
        if (question.Length == 0 || question.Length > MaxQuestionLength)
        {
            await emit(new ChatEvent.Refused(texts.QuestionRejected), ct);
            return;
        }

        try
        {
            if (!await quota.TryConsumeAsync(follower, ct))
            {
                metrics.Delivered(DeliveryOutcome.QuotaExceeded);
                await emit(new ChatEvent.Refused(texts.QuotaExceeded), ct);
                return;
            }

            using var stop = await stops.RegisterAsync(follower, ct);
            try
            {
                await LockedRunAsync(follower, question, emit, stop.Token);
            }
            catch (OperationCanceledException) when (stop.Token.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                // Stopped while waiting for the lock or a Dify slot: nothing was asked, nothing to record.
            }
        }
        catch (StoreUnavailableException ex)
        {
            log.LogWarning("Store unavailable, refusing a page question: {Reason}", ex.Message);
            await emit(new ChatEvent.Refused(texts.StoreUnavailable), CancellationToken.None);
        }
    }

    private async Task LockedRunAsync(Follower follower, string question, Func<ChatEvent, CancellationToken, ValueTask> emit, CancellationToken ct)
    {
        var owner = await LockAsync(follower, emit, ct);
        if (owner is null)
        {
            metrics.Delivered(DeliveryOutcome.Busy);
            await emit(new ChatEvent.Refused(messages.CurrentValue.Busy), ct);
            return;
        }

        try
        {
            await RunAsync(follower, question, emit, ct);
        }
        finally
        {
            await UnlockAsync(follower, owner);
        }
    }

    /// <summary>Takes the follower's runner lock, waiting while a WeChat turn holds it; null when it stays taken too long.</summary>
    private async Task<string?> LockAsync(Follower follower, Func<ChatEvent, CancellationToken, ValueTask> emit, CancellationToken ct)
    {
        var lockKey = keys.RunnerLock(follower.Account, follower.Id);
        var owner = $"{runner.InstanceId}:page:{Guid.NewGuid():N}";
        // One WeChat turn holds the lock at most this long; a queue of them may take longer, and then the page gives up.
        var deadline = time.GetUtcNow() + runner.LockTtl;
        var told = false;
        while (!await store.SetIfAbsentAsync(lockKey, owner, runner.LockTtl, ct))
        {
            if (time.GetUtcNow() >= deadline)
            {
                return null;
            }

            if (!told)
            {
                await emit(new ChatEvent.Waiting(), ct);
                told = true;
            }

            await Task.Delay(AnswerSignals.PollInterval, time, ct);
        }

        return owner;
    }

    private async Task UnlockAsync(Follower follower, string owner)
    {
        try
        {
            await store.DeleteIfEqualsAsync(keys.RunnerLock(follower.Account, follower.Id), owner, CancellationToken.None);
            if ((await turns.QueuedAsync(follower, CancellationToken.None)).Count > 0)
            {
                runner.Kick(follower);
            }
        }
        catch (StoreUnavailableException ex)
        {
            // The lock expires by itself, and the next delivery or `1` kicks the queue.
            log.LogWarning("Could not hand the runner lock back: {Reason}", ex.Message);
        }
    }

    private async Task RunAsync(Follower follower, string question, Func<ChatEvent, CancellationToken, ValueTask> emit, CancellationToken ct)
    {
        var texts = messages.CurrentValue;
        using var slot = await gate.EnterAsync(ct);
        if (slot is null)
        {
            metrics.Delivered(DeliveryOutcome.Busy);
            await emit(new ChatEvent.Refused(texts.Busy), ct);
            return;
        }

        var turn = new TurnRecord(ChatTurn.PagePrefix + Guid.NewGuid().ToString("N"), question, Now());
        // Not cancellable: a half-written record would leave a question without an answer in the history.
        await turns.RecordAsync(follower, turn, CancellationToken.None);
        await emit(new ChatEvent.Started(ChatTurn.From(turn)), ct);

        turn = await AnswerAsync(follower, turn, emit, ct);
        await SaveAsync(follower, turn);
        await emit(new ChatEvent.Finished(ChatTurn.From(turn)), CancellationToken.None);
    }

    private async Task<TurnRecord> AnswerAsync(Follower follower, TurnRecord turn, Func<ChatEvent, CancellationToken, ValueTask> emit, CancellationToken ct)
    {
        var texts = messages.CurrentValue;
        string? conversationId = null;
        string? taskId = null;
        var soFar = "";
        try
        {
            conversationId = await conversations.GetAsync(follower, ct);
            var answer = await dify.ChatAsync(
                new DifyChatRequest(turn.Question, follower.DifyUser, conversationId),
                async (progress, token) =>
                {
                    taskId ??= progress.TaskId;
                    soFar = progress.AnswerSoFar;
                    await emit(progress.Replaced ? new ChatEvent.Replaced(progress.AnswerSoFar) : new ChatEvent.Delta(progress.Delta), token);
                },
                ct);
            if (!string.IsNullOrEmpty(answer.ConversationId) && answer.ConversationId != conversationId)
            {
                await conversations.SaveAsync(follower, answer.ConversationId, ct);
            }

            var text = MarkdownText.Render(answer.Text);
            return turn with
            {
                Answer = text.Length == 0 ? texts.EmptyAnswer : text,
                Markdown = text.Length == 0 ? null : answer.Text,
                ConversationId = answer.ConversationId,
                AnsweredAtUnixMs = Now(),
            };
        }
        catch (DifyException ex)
        {
            log.LogWarning("Dify page turn failed: {Failure} (HTTP {Status}, code {Code})", ex.Failure, ex.HttpStatus, ex.Code);
            return turn with { Answer = texts.ForFailure(ex.Failure), Failed = true, ConversationId = conversationId, AnsweredAtUnixMs = Now() };
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped (button, closed page or shutdown). Dify would otherwise finish the answer and keep the whole of
            // it in the conversation, though the follower saw only the part below.
            if (taskId is not null)
            {
                _ = StopInDifyAsync(taskId, follower);
            }

            var text = MarkdownText.Render(soFar);
            return turn with
            {
                Answer = text.Length == 0 ? texts.Stopped : text,
                Markdown = text.Length == 0 ? null : soFar,
                Stopped = true,
                ConversationId = conversationId,
                AnsweredAtUnixMs = Now(),
            };
        }
    }

    /// <summary>
    /// Saves the finished turn even when the page has gone, counts it as read (the follower saw it whole, so <c>1</c>
    /// does not offer it as new) and wakes a <c>1</c> that is waiting for it in WeChat.
    /// </summary>
    private async Task SaveAsync(Follower follower, TurnRecord turn)
    {
        try
        {
            await turns.SaveAsync(follower, turn, CancellationToken.None);
            await turns.MarkReadAsync(follower, turn.MessageKey, paginator.Paginate(turn.Answer!).Count, CancellationToken.None);
            await signals.PublishAsync(follower, turn.MessageKey, CancellationToken.None);
        }
        catch (StoreUnavailableException ex)
        {
            log.LogWarning("Could not save a page turn's answer: {Reason}", ex.Message);
        }
    }

    private async Task StopInDifyAsync(string taskId, Follower follower)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await dify.StopAsync(taskId, follower.DifyUser, timeout.Token);
        }
        catch (Exception ex) when (ex is DifyException or OperationCanceledException)
        {
            log.LogInformation("Could not stop the answer in Dify (it is stopped here anyway): {Reason}", ex.Message);
        }
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
