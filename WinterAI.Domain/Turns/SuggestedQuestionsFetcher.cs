using Microsoft.Extensions.Logging;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Turns;

/// <summary>
/// Asks Dify for the questions it suggests after an answer (<c>GET /messages/{id}/suggested</c>) when the app has them
/// on, and keeps them in <see cref="SuggestedQuestions"/>: marked before the answer is saved, fetched after it.
/// </summary>
public sealed class SuggestedQuestionsFetcher(
    SuggestedQuestions suggestions,
    IDifyClient dify,
    DifyAppProfile app,
    TimeProvider time,
    ILogger<SuggestedQuestionsFetcher> log)
{
    /// <summary>Bounds the fetch; Dify asks its model for them, which takes a few seconds.</summary>
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Before a new answer is saved: the previous answer's suggestions stop being valid, and when this answer may get
    /// some it is marked as waiting for them, so live views (robot streams) know to wait. Decided on what is already
    /// known of the app, never by asking Dify. Best effort.
    /// </summary>
    public async Task PrepareAsync(Follower follower, TurnRecord turn, CancellationToken ct)
    {
        try
        {
            if (MayHave(turn) && app.Known?.SuggestedQuestionsAfterAnswer != false)
            {
                await suggestions.WriteAsync(follower, new SuggestedQuestionsRecord(turn.MessageKey, null, time.GetUtcNow().ToUnixTimeMilliseconds()), ct);
            }
            else
            {
                await suggestions.DeleteAsync(follower, ct);
            }
        }
        catch (StoreUnavailableException ex)
        {
            log.LogWarning("Could not update the suggested questions: {Reason}", ex.Message);
        }
    }

    /// <summary>
    /// After the answer is saved: asks Dify for the suggestions and keeps them, unless a newer answer came meanwhile.
    /// Returns them (empty when there are none). Never throws.
    /// </summary>
    public async Task<IReadOnlyList<string>> FetchAsync(Follower follower, TurnRecord turn, CancellationToken ct)
    {
        IReadOnlyList<string> questions = [];
        try
        {
            if (!MayHave(turn) || (await suggestions.CurrentAsync(follower, ct))?.MessageKey != turn.MessageKey)
            {
                return [];
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(FetchTimeout);
            if ((await app.GetAsync(timeout.Token))?.SuggestedQuestionsAfterAnswer == true)
            {
                questions = (await dify.GetSuggestedQuestionsAsync(turn.DifyMessageId!, follower.DifyUser, timeout.Token)).Take(SuggestedQuestions.MaxQuestions).ToList();
            }
        }
        catch (Exception ex) when (ex is DifyException or OperationCanceledException)
        {
            log.LogInformation("No suggested questions for the answer: {Reason}", ex.Message);
        }
        catch (StoreUnavailableException ex)
        {
            log.LogWarning("Could not read the suggested questions: {Reason}", ex.Message);
            return [];
        }

        try
        {
            // A newer answer may have been saved meanwhile: its suggestions (or none) win.
            if (await suggestions.CurrentAsync(follower, CancellationToken.None) is { } current && current.MessageKey == turn.MessageKey)
            {
                await suggestions.WriteAsync(follower, current with { Questions = questions }, CancellationToken.None);
            }
        }
        catch (StoreUnavailableException ex)
        {
            log.LogWarning("Could not keep the suggested questions: {Reason}", ex.Message);
        }

        return questions;
    }

    private static bool MayHave(TurnRecord turn) => turn is { DifyMessageId: { Length: > 0 }, Failed: false, Stopped: false };
}
