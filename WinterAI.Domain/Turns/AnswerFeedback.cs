using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Dify;

namespace WinterAI.Domain.Turns;

/// <summary>
/// Like / dislike of an answer, passed to Dify (<c>POST /messages/{id}/feedbacks</c>): from the words in
/// <see cref="MessagesOptions.LikeWords"/> / <see cref="MessagesOptions.DislikeWords"/> for the follower's newest
/// answer, or from the H5 page's buttons for the answer they sit under.
/// </summary>
public sealed class AnswerFeedback(TurnStore turns, IDifyClient dify, IOptionsMonitor<MessagesOptions> messages, ILogger<AnswerFeedback> log)
{
    public const string Like = "like";
    public const string Dislike = "dislike";

    private static readonly char[] Separators = [',', '，'];

    /// <summary><see cref="Like"/> or <see cref="Dislike"/> when the whole message is one of the configured words; else null.</summary>
    public string? RatingFor(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        var texts = messages.CurrentValue;
        return IsOneOf(trimmed, texts.LikeWords) ? Like : IsOneOf(trimmed, texts.DislikeWords) ? Dislike : null;
    }

    /// <summary>Rates the follower's newest answer; returns the text to reply.</summary>
    public async Task<string> RateNewestAsync(Follower follower, string rating, CancellationToken ct)
    {
        var newest = (await turns.HistoryAsync(follower, ct)).LastOrDefault(t => t.IsAnswered);
        return Reply(rating, await RateAsync(follower, newest, rating, ct));
    }

    /// <summary>Rates one turn's answer in Dify.</summary>
    public async Task<FeedbackResult> RateAsync(Follower follower, TurnRecord? turn, string rating, CancellationToken ct)
    {
        if (turn is not { IsAnswered: true, DifyMessageId: { Length: > 0 } messageId })
        {
            return FeedbackResult.NothingToRate;
        }

        try
        {
            await dify.FeedbackAsync(messageId, rating, follower.DifyUser, ct);
            return FeedbackResult.Sent;
        }
        catch (DifyException ex) when (ex.HttpStatus == 404)
        {
            log.LogInformation("Dify no longer knows the answer that was rated.");
            return FeedbackResult.NothingToRate;
        }
        catch (DifyException ex)
        {
            log.LogWarning("Dify did not take the feedback: {Failure}", ex.Failure);
            return FeedbackResult.Failed;
        }
    }

    /// <summary>The text that acknowledges <paramref name="result"/>.</summary>
    public string Reply(string rating, FeedbackResult result)
    {
        var texts = messages.CurrentValue;
        return result switch
        {
            FeedbackResult.Sent => rating == Like ? texts.Liked : texts.Disliked,
            FeedbackResult.NothingToRate => texts.NothingToRate,
            _ => texts.FeedbackFailed,
        };
    }

    private static bool IsOneOf(string text, string words) =>
        words.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(word => word.Equals(text, StringComparison.OrdinalIgnoreCase));
}
