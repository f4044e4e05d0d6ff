using System.Text;

namespace WinterAI.Bench;

/// <summary>What one follower sent and saw, and how the answer reached them.</summary>
public sealed class FollowerResult(BenchQuestion question, double startedAtMs)
{
    public BenchQuestion Question { get; } = question;

    public double StartedAtMs { get; } = startedAtMs;

    /// <summary>Every message the follower sent (the question, then any <c>1</c>), with WeChat's deliveries of each.</summary>
    public List<(string Text, IReadOnlyList<Delivery> Deliveries)> Messages { get; } = [];

    public Outcome Outcome { get; set; } = Outcome.Lost;

    /// <summary>The delivery whose reply carried the answer passively.</summary>
    public Delivery? Carrier { get; set; }

    /// <summary>When the answer reached the follower, however it came.</summary>
    public double? AnsweredAtMs { get; set; }

    public string? LostReason { get; set; }

    /// <summary>Anything the follower should not have seen: someone else's answer, a reply WeChat would refuse, the answer twice.</summary>
    public List<string> Problems { get; } = [];

    public IEnumerable<Delivery> AllDeliveries => Messages.SelectMany(m => m.Deliveries);

    public string Timeline(IReadOnlyList<DifyCall> calls, IEnumerable<PushedMessage> pushes)
    {
        var text = new StringBuilder();
        text.AppendLine($"{Question.OpenId} asked \"{Question.Text}\" at {StartedAtMs:F0} ms (bench clock); outcome {Outcome}{(LostReason is null ? "" : $" ({LostReason})")}");
        foreach (var call in calls)
        {
            text.AppendLine($"  +{call.ReceivedAtMs - StartedAtMs:F0} ms Dify call received; " +
                            (call.EndedAtMs is { } end ? $"message_end at +{end - StartedAtMs:F0} ms" : call.Aborted ? "stream dropped by WinterAI" : "still running"));
        }

        foreach (var (message, deliveries) in Messages)
        {
            text.AppendLine($"  sent \"{message}\":");
            foreach (var delivery in deliveries)
            {
                text.AppendLine($"    {delivery.Describe(StartedAtMs)}");
            }
        }

        foreach (var push in pushes)
        {
            text.AppendLine($"  +{push.AtMs - StartedAtMs:F0} ms pushed: {push.Content.ReplaceLineEndings("⏎")}");
        }

        foreach (var problem in Problems)
        {
            text.AppendLine($"  PROBLEM: {problem}");
        }

        return text.ToString();
    }
}
