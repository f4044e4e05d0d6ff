using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
    TurnStore turns,
    TurnRunner runner,
    TurnEngine engine,
    FollowerLock followerLock,
    PartialAnswers partials,
    ConversationService conversation,
    AppInputs inputs,
    ChatPictures uploads,
    AnswerSignals signals,
    AnswerPaginator paginator,
    DifyGate gate,
    SuggestedQuestions suggestions,
    SuggestedQuestionsFetcher fetcher,
    AnswerFeedback feedback,
    FollowerQuota quota,
    DeliveryMetrics metrics,
    ChatStops stops,
    AnswerPictures answerPictures,
    IOptionsMonitor<MessagesOptions> messages,
    TimeProvider time,
    ILogger<ChatService> log)
{
    /// <summary>The channel name the Dify app's <c>channel</c> input sees for questions asked on the page.</summary>
    public const string ChannelName = "chat-page";

    private static readonly MessageContext PageContext = new(Channel: ChannelName, MessageType: "text");

    /// <summary>Longest question the page takes, in characters (WeChat itself allows about as much).</summary>
    public const int MaxQuestionLength = 2000;

    /// <summary>The follower's recent turns; one still being answered (here or on another instance) carries its answer so far.</summary>
    public async Task<IReadOnlyList<ChatTurn>> HistoryAsync(Follower follower, CancellationToken ct)
    {
        var shown = ChatTurn.From(await turns.HistoryAsync(follower, ct));
        var suggested = await suggestions.CurrentAsync(follower, ct);
        var live = new List<ChatTurn>(shown.Count);
        foreach (var turn in shown)
        {
            live.Add(turn.Answer is null && await partials.GetAsync(follower, turn.Id, ct) is { Finished: false } partial
                ? turn with { Partial = partial.Text }
                : suggested is { Questions.Count: > 0 } && suggested.MessageKey == turn.Id ? turn with { Suggestions = suggested.Questions } : turn);
        }

        return live;
    }

    /// <summary>Like / dislike on one of the follower's answers (<paramref name="turnId"/> from the history); the result and the text to show.</summary>
    public async Task<(FeedbackResult Result, string Message)> RateAsync(Follower follower, string turnId, string rating, CancellationToken ct)
    {
        var turn = await turns.GetAsync(follower, turnId, ct);
        var result = await feedback.RateAsync(follower, turn, rating, ct);
        return (result, feedback.Reply(rating, result));
    }

    /// <summary>
    /// Picture <paramref name="index"/> of the follower's turn <paramref name="turnId"/>, fetched from the Dify host (the
    /// page's policy allows pictures from its own origin only, and Dify may not be reachable from the follower's phone).
    /// Null when the turn or picture does not exist or cannot be fetched.
    /// </summary>
    public async Task<MediaFile?> PictureAsync(Follower follower, string turnId, int index, CancellationToken ct)
    {
        if (await turns.GetAsync(follower, turnId, ct) is not { Images: { } images } || index < 0 || index >= images.Count)
        {
            return null;
        }

        try
        {
            return await answerPictures.FetchAsync(images[index], ct);
        }
        catch (MediaUnavailableException ex)
        {
            log.LogInformation("A picture of an answer could not be fetched for the chat page: {Reason}", ex.Message);
            return null;
        }
    }

    /// <summary>"New conversation": exactly what <c>/clear</c> does in WeChat. Returns the text to show.</summary>
    public async Task<string> ClearAsync(Follower follower, CancellationToken ct) =>
        (await conversation.ClearAsync(follower, ct)).Text ?? messages.CurrentValue.Cleared;

    public Task StopAsync(Follower follower, CancellationToken ct) => stops.StopAsync(follower, ct);

    /// <summary>
    /// Answers <paramref name="question"/>, telling <paramref name="emit"/> how it goes. Returns when the turn is over;
    /// throws only when <paramref name="ct"/> fires before the turn started (nothing is recorded then).
    /// </summary>
    public Task AskAsync(Follower follower, string question, Func<ChatEvent, CancellationToken, ValueTask> emit, CancellationToken ct) =>
        AskAsync(follower, question, pictureIds: null, emit, ct);

    /// <inheritdoc cref="AskAsync(Follower, string, Func{ChatEvent, CancellationToken, ValueTask}, CancellationToken)"/>
    /// <param name="pictureIds">Pictures the follower uploaded on the page (<see cref="ChatPictures"/>); a question may be empty then.</param>
    public async Task AskAsync(Follower follower, string question, IReadOnlyList<string>? pictureIds, Func<ChatEvent, CancellationToken, ValueTask> emit, CancellationToken ct)
    {
        var texts = messages.CurrentValue;
        question = question.Trim();
        IReadOnlyList<Attachment>? attachments = null;
        try
        {
            attachments = await uploads.AttachmentsAsync(follower, pictureIds, ct);
        }
        catch (StoreUnavailableException ex)
        {
            log.LogWarning("Store unavailable, refusing a page question: {Reason}", ex.Message);
            await emit(new ChatEvent.Refused(texts.StoreUnavailable), CancellationToken.None);
            return;
        }

        if (question.Length == 0 && attachments is not null)
        {
            question = texts.ImagePrompt.Length > 0 ? texts.ImagePrompt : new MessagesOptions().ImagePrompt;
        }

        if (question.Length == 0 || question.Length > MaxQuestionLength)
        {
            await emit(new ChatEvent.Refused(texts.QuestionRejected), ct);
            return;
        }

        try
        {
            var resolved = await inputs.ResolveAsync(follower, ChannelName, PageContext, ct);
            if (!resolved.IsComplete)
            {
                await emit(new ChatEvent.Refused(inputs.MissingText(resolved.Missing)), ct);
                return;
            }

            if (!await quota.TryConsumeAsync(follower, ct))
            {
                metrics.Delivered(follower.Account, DeliveryOutcome.QuotaExceeded);
                await emit(new ChatEvent.Refused(texts.QuotaExceeded), ct);
                return;
            }

            TurnRecord? answered = null;
            using (var stop = await stops.RegisterAsync(follower, ct))
            {
                try
                {
                    answered = await LockedRunAsync(follower, question, attachments, resolved.Values, emit, stop.Token);
                }
                catch (OperationCanceledException) when (stop.Token.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                    // Stopped while waiting for the lock or a Dify slot: nothing was asked, nothing to record.
                }
            }

            if (answered is not null)
            {
                await SuggestAsync(follower, answered, emit, ct);
            }
        }
        catch (StoreUnavailableException ex)
        {
            log.LogWarning("Store unavailable, refusing a page question: {Reason}", ex.Message);
            await emit(new ChatEvent.Refused(texts.StoreUnavailable), CancellationToken.None);
        }
    }

    /// <summary>
    /// Once the answer is on the page and the follower's lock is free: the suggested questions, if the app has them.
    /// The page may have gone meanwhile; they are kept for <c>a</c> / <c>b</c> / <c>c</c> and the history anyway.
    /// </summary>
    private async Task SuggestAsync(Follower follower, TurnRecord turn, Func<ChatEvent, CancellationToken, ValueTask> emit, CancellationToken ct)
    {
        var questions = await fetcher.FetchAsync(follower, turn, CancellationToken.None);
        if (questions.Count > 0 && !ct.IsCancellationRequested)
        {
            try
            {
                await emit(new ChatEvent.Suggested(turn.MessageKey, questions), ct);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                // The page went away; it shows them from the history next time.
            }
        }
    }

    private async Task<TurnRecord?> LockedRunAsync(Follower follower, string question, IReadOnlyList<Attachment>? attachments, IReadOnlyDictionary<string, string>? values, Func<ChatEvent, CancellationToken, ValueTask> emit, CancellationToken ct)
    {
        var lease = await LockAsync(follower, emit, ct);
        if (lease is null)
        {
            metrics.Delivered(follower.Account, DeliveryOutcome.Busy);
            await emit(new ChatEvent.Refused(messages.CurrentValue.Busy), ct);
            return null;
        }

        try
        {
            return await RunAsync(follower, question, attachments, values, emit, ct);
        }
        finally
        {
            await UnlockAsync(follower, lease);
        }
    }

    /// <summary>Takes the follower's lock, waiting (and saying so) while a WeChat turn holds it; null when it stays taken too long.</summary>
    private Task<StoreLease?> LockAsync(Follower follower, Func<ChatEvent, CancellationToken, ValueTask> emit, CancellationToken ct) =>
        followerLock.TakeAsync(follower, "page", token => emit(new ChatEvent.Waiting(), token), ct);

    private async Task UnlockAsync(Follower follower, StoreLease lease)
    {
        await lease.DisposeAsync();
        try
        {
            if ((await turns.QueuedAsync(follower, CancellationToken.None)).Count > 0)
            {
                runner.Kick(follower);
            }
        }
        catch (StoreUnavailableException ex)
        {
            // The next delivery or `1` kicks the queue.
            log.LogWarning("Could not look for questions queued meanwhile: {Reason}", ex.Message);
        }
    }

    private async Task<TurnRecord?> RunAsync(Follower follower, string question, IReadOnlyList<Attachment>? attachments, IReadOnlyDictionary<string, string>? values, Func<ChatEvent, CancellationToken, ValueTask> emit, CancellationToken ct)
    {
        var texts = messages.CurrentValue;
        using var slot = await gate.EnterAsync(ct);
        if (slot is null)
        {
            metrics.Delivered(follower.Account, DeliveryOutcome.Busy);
            await emit(new ChatEvent.Refused(texts.Busy), ct);
            return null;
        }

        var turn = new TurnRecord(ChatTurn.PagePrefix + Guid.NewGuid().ToString("N"), question, Now(), Inputs: values, Attachments: attachments);
        // Not cancellable: a half-written record would leave a question without an answer in the history.
        await turns.RecordAsync(follower, turn, CancellationToken.None);
        await emit(new ChatEvent.Started(ChatTurn.From(turn)), ct);

        turn = await engine.AnswerAsync(
            follower,
            turn,
            (progress, token) => emit(progress.Replaced ? new ChatEvent.Replaced(progress.AnswerSoFar) : new ChatEvent.Delta(progress.Delta), token),
            stoppable: true,
            ct);
        await fetcher.PrepareAsync(follower, turn, CancellationToken.None);
        await SaveAsync(follower, turn);
        await emit(new ChatEvent.Finished(ChatTurn.From(turn)), CancellationToken.None);
        return turn;
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
            await turns.MarkReadAsync(follower, turn.MessageKey, paginator.Paginate(turn).Count, CancellationToken.None);
            await signals.PublishAsync(follower, turn.MessageKey, CancellationToken.None);
        }
        catch (StoreUnavailableException ex)
        {
            log.LogWarning("Could not save a page turn's answer: {Reason}", ex.Message);
        }
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}
