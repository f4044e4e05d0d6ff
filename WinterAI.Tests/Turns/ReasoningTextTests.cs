using System.Text;
using WinterAI.Domain.Turns;

namespace WinterAI.Tests.Turns;

public sealed class ReasoningTextTests
{
    [TestCase("<think>weighing it up</think>\n\nThe answer.", "The answer.")]
    [TestCase("<THINK>a</THINK>b", "b")]
    [TestCase("Before <think>x</think>after", "Before after")]
    [TestCase("<think>one</think>A<think>two</think>B", "AB")]
    [TestCase("No reasoning at all.", "No reasoning at all.")]
    [TestCase("a < b and c <t", "a < b and c <t")]
    [TestCase("<think>never closed", "")]
    public void HidesReasoningFromAFinishedAnswer(string answer, string shown) => ReasoningText.Hide(answer).ShouldBe(shown);

    [TestCase("Answer <", "Answer ")]
    [TestCase("Answer <thi", "Answer ")]
    [TestCase("Answer <think", "Answer ")]
    [TestCase("<think>still thinking</thi", "")]
    [TestCase("<think>done</think>Ans", "Ans")]
    [TestCase("Answer <b>", "Answer <b>")]
    public void AnAnswerStillStreamingShowsNothingThatMayYetBecomeReasoning(string soFar, string shown) =>
        ReasoningText.VisibleSoFar(soFar).ShouldBe(shown);

    [Test]
    public void TheVisiblePartOfAGrowingAnswerOnlyGrows()
    {
        const string answer = "<think>\nLet me think: 1 < 2, and <b> is bold.\n</think>\n\nHere it is: a < b <thinking> stays, <think>more</think> done.";
        var before = "";
        for (var length = 0; length <= answer.Length; length++)
        {
            var visible = ReasoningText.VisibleSoFar(answer[..length]);
            visible.ShouldStartWith(before, customMessage: $"after {length} characters");
            before = visible;
        }

        before.ShouldBe(ReasoningText.Hide(answer));
        before.ShouldNotContain("Let me think");
        before.ShouldNotContain("more");
    }

    [Test]
    public void NoPageOfALongAnswerHoldsAnyOfItsLongReasoning()
    {
        var thinking = string.Concat(Enumerable.Repeat("我在想这个问题应该怎么回答。", 400));
        var answer = string.Concat(Enumerable.Repeat("这是回答的一部分。\n\n", 300));

        var pages = AnswerPages.Split(ReasoningText.Hide($"<think>{thinking}</think>\n\n{answer}"));

        pages.Count.ShouldBeGreaterThan(1);
        pages.ShouldAllBe(p => Encoding.UTF8.GetByteCount(p.Text) <= AnswerPages.WeChatMaxBytes);
        pages.ShouldAllBe(p => !p.Text.Contains("我在想") && !p.Text.Contains("think"));
        string.Concat(pages.Select(p => p.Body)).ShouldBe(answer);
    }
}
