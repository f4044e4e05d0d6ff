
namespace WinterAI.Domain.Turns;

/// <summary>One part of a long answer, ready to be sent as a WeChat text reply.</summary>
/// <param name="Number">The part's position, from 1.</param>
/// <param name="Count">How many parts the answer has.</param>
/// <param name="Body">This part's share of the answer; the bodies of all parts concatenate to the answer.</param>
/// <param name="Text">What to send: the body, followed on every part but the last by the footer that says how to get the next one.</param>
/// <param name="Image">On a picture's page (after the text pages): the picture to send; <paramref name="Text"/> is then the link
/// the follower gets instead when it cannot be fetched or uploaded.</param>
public sealed record AnswerPage(int Number, int Count, string Body, string Text, AnswerImage? Image = null)
{
    public bool IsLast => Number == Count;
}
