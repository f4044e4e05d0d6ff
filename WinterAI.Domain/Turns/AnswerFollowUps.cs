namespace WinterAI.Domain.Turns;

/// <summary>
/// Replies that refer to the answer just given: a like / dislike word rates it (<see cref="AnswerFeedback"/>), a
/// letter asks one of the questions suggested after it (<see cref="SuggestedQuestions"/>). Anything else, and a letter
/// when no suggestions are valid, stays what <see cref="IntentRouter"/> made of it. Commands and keywords come first.
/// </summary>
public sealed class AnswerFollowUps(AnswerFeedback feedback, SuggestedQuestions suggestions)
{
    public async Task<Intent> RouteAsync(Follower follower, Intent intent, CancellationToken ct)
    {
        if (intent is not Intent.Ask { Attachments: null or { Count: 0 } } ask)
        {
            return intent;
        }

        if (feedback.RatingFor(ask.Question) is { } rating)
        {
            return new Intent.Say(await feedback.RateNewestAsync(follower, rating, ct));
        }

        return await suggestions.ResolveAsync(follower, ask.Question, ct) is { } question ? ask with { Question = question } : intent;
    }
}
