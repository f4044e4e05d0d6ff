using WinterAI.Domain.Dify;

namespace WinterAI.Domain.Turns;

/// <summary>One streaming turn's progress as followers may see it: <see cref="ReasoningText.VisibleSoFar"/>, with deltas of its own.</summary>
internal sealed class ReasoningFilter(ReasoningDisplay display)
{
    private string shown = "";

    /// <summary>The progress without reasoning; null when nothing visible changed.</summary>
    public DifyProgress? Shown(DifyProgress progress)
    {
        var visible = ReasoningText.VisibleSoFar(progress.AnswerSoFar);
        var grew = !progress.Replaced && visible.StartsWith(shown, StringComparison.Ordinal);
        if (grew && visible.Length == shown.Length)
        {
            return null;
        }

        var delta = grew ? visible[shown.Length..] : "";
        shown = visible;
        return progress with { AnswerSoFar = visible, Delta = delta, Replaced = !grew };
    }

    /// <summary>What the H5 page streams: the reasoning too when it folds it there.</summary>
    public DifyProgress? ForPage(DifyProgress raw, DifyProgress? shownProgress) => display == ReasoningDisplay.Fold ? raw : shownProgress;
}
