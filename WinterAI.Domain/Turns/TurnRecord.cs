
namespace WinterAI.Domain.Turns;

/// <summary>One question and, once Dify has answered, its rendered answer.</summary>
/// <param name="MessageKey">The message's deduplication key (<c>page:...</c> for a question asked on the H5 page).</param>
/// <param name="Answer">The answer as WeChat shows it: plain text rendered from Dify's Markdown, or a friendly failure text.</param>
/// <param name="Failed">True when <paramref name="Answer"/> is a friendly failure text rather than Dify's answer.</param>
/// <param name="Markdown">Dify's answer as it came (Markdown), for the H5 page; null for failures and older records.</param>
/// <param name="ConversationId">The Dify conversation the answer belongs to, so the H5 page can show where /clear started a new one.</param>
/// <param name="DifyMessageId">Dify's id of the answer, for feedback (like / dislike).</param>
/// <param name="Attachments">Pictures asked about with the question, fetched again from the channel when the turn runs.</param>
/// <param name="Inputs">The Dify app's inputs, resolved when the question was queued (the turn may run later, on another instance).</param>
/// <param name="Heard">What a voice message was heard to say (also its <paramref name="Question"/>); <paramref name="Answer"/> then begins with it.</param>
/// <param name="Spoken">Asked by voice (recognised by WeChat, or <paramref name="Heard"/>).</param>
/// <param name="VoiceMediaId">The answer spoken back (<c>Dify:VoiceReplies</c>): the platform's temporary voice media, replied instead of the first text page.</param>
/// <param name="Images">Pictures of the answer delivered on their own, after the text (each an extra page for <c>1</c>).</param>
/// <param name="Stopped">True when the follower stopped the answer on the H5 page; <paramref name="Answer"/> is what had arrived.</param>
public sealed record TurnRecord(
    string MessageKey,
    string Question,
    long AskedAtUnixMs,
    string? Answer = null,
    bool Failed = false,
    long? AnsweredAtUnixMs = null,
    string? Markdown = null,
    string? ConversationId = null,
    bool Stopped = false,
    string? DifyMessageId = null,
    IReadOnlyList<Attachment>? Attachments = null,
    IReadOnlyDictionary<string, string>? Inputs = null,
    string? Heard = null,
    IReadOnlyList<AnswerImage>? Images = null,
    bool Spoken = false,
    string? VoiceMediaId = null)
{
    public bool IsAnswered => Answer is not null;
}
