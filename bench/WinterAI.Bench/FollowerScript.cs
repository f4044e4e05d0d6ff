namespace WinterAI.Bench;

/// <summary>
/// One follower behaving as people do: asks once; reads the passive reply if one comes; after the wait message,
/// sends <c>1</c> a little after the answer should exist and again while told it is still being thought about;
/// on a push account, watches for the pushed answer.
/// </summary>
public sealed class FollowerScript(WeChatStandIn wechat, FakePlatforms platforms, bool pushAccount)
{
    /// <summary>How long after the answer should exist the follower sends <c>1</c>.</summary>
    public static readonly TimeSpan FetchDelay = TimeSpan.FromSeconds(2);

    /// <summary>Pause before sending <c>1</c> again after "still thinking".</summary>
    public static readonly TimeSpan FetchRetryDelay = TimeSpan.FromSeconds(3);

    public const int MaxFetches = 5;

    /// <summary>How long after the answer should exist a push may still arrive.</summary>
    public static readonly TimeSpan PushPatience = TimeSpan.FromSeconds(15);

    /// <summary>The separator <c>1</c> puts between the question and the answer (Messages:Separator default).</summary>
    public const string Separator = "——————";

    public async Task<FollowerResult> RunAsync(BenchQuestion question, double startAtMs, CancellationToken ct)
    {
        await BenchClock.UntilAsync(startAtMs, ct);
        var result = new FollowerResult(question, BenchClock.NowMs);
        var answer = question.Answer;
        var fetched = $"{question.Text}\n{Separator}\n{answer}";
        var answerDueAt = result.StartedAtMs + question.LatencyMs;

        var asked = await wechat.SendTextAsync(question.OpenId, question.Text, question.Follower % wechat.InstanceCount, ct);
        result.Messages.Add((question.Text, asked));
        var last = asked[^1];
        Check(result, last, answer);
        if (last.Content == answer)
        {
            result.Outcome = Outcome.Passive;
            result.Carrier = last;
            result.AnsweredAtMs = last.RespondedAtMs;
        }
        else if (IsWait(last.Content))
        {
            await FetchAsync(result, fetched, Math.Max(BenchClock.NowMs, answerDueAt + FetchDelay.TotalMilliseconds), ct);
        }
        else if (pushAccount && last.IsSilent)
        {
            await WaitForPushAsync(result, answer, answerDueAt + PushPatience.TotalMilliseconds, ct);
        }
        else
        {
            result.LostReason = last.TimedOut ? "every delivery of the question was abandoned after 5 s"
                : last.IsSilent ? "the last delivery answered nothing and nothing is pushed"
                : $"the last delivery's reply was not the answer ({last.Error ?? "unexpected text"})";
        }

        if (pushAccount)
        {
            // Exactly once: a follower who got the answer passively or by 1 must not get it pushed as well.
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var pushed = platforms.Pushes.Count(p => p.OpenId == question.OpenId);
            if (pushed > (result.Outcome == Outcome.Push ? 1 : 0))
            {
                result.Problems.Add($"{pushed} pushes for an answer that came {result.Outcome}");
            }
        }

        return result;
    }

    private async Task FetchAsync(FollowerResult result, string fetched, double firstAtMs, CancellationToken ct)
    {
        var at = firstAtMs;
        for (var attempt = 1; attempt <= MaxFetches; attempt++)
        {
            await BenchClock.UntilAsync(at, ct);
            var deliveries = await wechat.SendTextAsync(result.Question.OpenId, "1", (result.Question.Follower + attempt) % wechat.InstanceCount, ct);
            result.Messages.Add(("1", deliveries));
            var last = deliveries[^1];
            Check(result, last, fetched);
            if (last.Content == fetched)
            {
                result.Outcome = Outcome.Fetch;
                result.AnsweredAtMs = last.RespondedAtMs;
                return;
            }

            if (last.Content is not null && !IsStillThinking(last.Content))
            {
                result.LostReason = "1 brought something other than the answer";
                return;
            }

            at = BenchClock.NowMs + FetchRetryDelay.TotalMilliseconds;
        }

        result.LostReason = $"still no answer after {MaxFetches} times 1";
    }

    private async Task WaitForPushAsync(FollowerResult result, string answer, double untilMs, CancellationToken ct)
    {
        while (true)
        {
            var pushes = platforms.Pushes.Where(p => p.OpenId == result.Question.OpenId).ToList();
            if (pushes.FirstOrDefault(p => p.Content == answer) is { } push)
            {
                result.Outcome = Outcome.Push;
                result.AnsweredAtMs = push.AtMs;
                return;
            }

            if (pushes.Count > 0)
            {
                result.Problems.Add($"pushed something other than the answer: {pushes[0].Content}");
            }

            if (BenchClock.NowMs > untilMs)
            {
                result.LostReason = "no push arrived";
                return;
            }

            await Task.Delay(100, ct);
        }
    }

    /// <summary>A reply that is neither expected nor a "thinking" notice is a bug worth reporting, whatever happens next.</summary>
    private static void Check(FollowerResult result, Delivery delivery, string expected)
    {
        if (delivery.Error is not null)
        {
            result.Problems.Add($"delivery {delivery.Attempt} of msg {delivery.MsgId}: {delivery.Error}");
        }
        else if (delivery.Content is { } content && content != expected && !IsWait(content) && !IsStillThinking(content))
        {
            result.Problems.Add($"unexpected reply to msg {delivery.MsgId}: {content.ReplaceLineEndings("⏎")}");
        }
    }

    /// <summary>The wait message (Messages:Wait) and "still thinking" (Messages:StillThinking), recognised as the brief describes them.</summary>
    private static bool IsWait(string? content) => content?.Contains("正在思考", StringComparison.Ordinal) == true;

    private static bool IsStillThinking(string? content) => content?.Contains("还在思考", StringComparison.Ordinal) == true;
}
