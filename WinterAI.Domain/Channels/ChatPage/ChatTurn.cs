using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.ChatPage;

/// <summary>One question and answer as the H5 page shows it, whichever channel it was asked on.</summary>
/// <param name="Id">The turn's message key.</param>
/// <param name="Answer">Null while the answer is being generated.</param>
/// <param name="IsMarkdown">True when <paramref name="Answer"/> is Dify's Markdown; false for plain text (failures, older turns).</param>
/// <param name="FromWeChat">Asked in the official account rather than on the page.</param>
/// <param name="NewConversation">The first turn after a <c>/clear</c> (its Dify conversation differs from the turn before).</param>
/// <param name="Pictures">How many pictures came with the answer; the page shows each through <c>GET /chat/picture</c>.</param>
/// <param name="Partial">While the answer is being generated (on any instance): the Markdown written so far.</param>
/// <param name="Rateable">Dify's answer (not a failure text), which the like / dislike buttons can rate.</param>
/// <param name="Suggestions">For the newest answer: the follow-up questions Dify suggested, shown as buttons.</param>
public sealed record ChatTurn(
    string Id,
    string Question,
    string? Answer,
    bool IsMarkdown,
    bool Failed,
    bool Stopped,
    bool FromWeChat,
    long AskedAt,
    long? AnsweredAt,
    bool NewConversation = false,
    string? Partial = null,
    bool Rateable = false,
    IReadOnlyList<string>? Suggestions = null,
    int Pictures = 0)
{
    /// <summary>Message keys of turns asked on the page start with this.</summary>
    public const string PagePrefix = "page:";

    public static ChatTurn From(TurnRecord turn, bool newConversation = false) => new(
        turn.MessageKey,
        turn.Question,
        turn.Markdown ?? turn.Answer,
        turn.Markdown is not null,
        turn.Failed,
        turn.Stopped,
        !turn.MessageKey.StartsWith(PagePrefix, StringComparison.Ordinal),
        turn.AskedAtUnixMs,
        turn.AnsweredAtUnixMs,
        newConversation,
        Rateable: turn is { IsAnswered: true, Failed: false, DifyMessageId: { Length: > 0 } },
        Pictures: turn.Images?.Count ?? 0);

    /// <summary>The history, oldest first, marking where a new Dify conversation began.</summary>
    public static IReadOnlyList<ChatTurn> From(IReadOnlyList<TurnRecord> history)
    {
        var shown = new List<ChatTurn>(history.Count);
        string? conversation = null;
        foreach (var turn in history)
        {
            var isNew = conversation is not null && turn.ConversationId is not null && turn.ConversationId != conversation;
            shown.Add(From(turn, isNew));
            conversation = turn.ConversationId ?? conversation;
        }

        return shown;
    }
}
