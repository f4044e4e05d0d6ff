using System.Collections.Concurrent;
using System.Globalization;
using WinterAI.Domain.Turns;

namespace WinterAI.Tests.Turns;

/// <summary>
/// A stream of followers talking to two WinterAI instances (deliveries alternating between them, as behind a load
/// balancer) while the test fails the Redis deployment over. Each follower asks one question after another and
/// behaves as a person would: an answer ends the question; the busy text, or WeChat's own "service unavailable" after
/// three unanswered deliveries, makes it ask again (a new message); the wait text makes it send <c>1</c> until the
/// answer comes. Anything else (an unexpected reply) ends the question unanswered: lost. Every moment is recorded so the test can say how long
/// followers saw the busy text, whether any answer was lost, whether Dify was asked anything twice, and how long the
/// longest follower waited.
/// </summary>
internal sealed class FailoverDrill(WinterAIProcess a, WinterAIProcess b, FakeDifyServer dify, WeChatAccount account, int followers)
{
    private static readonly MessagesOptions Texts = new();

    /// <summary>How long one question may take, busy replies and <c>1</c>s included, before it counts as lost.</summary>
    private static readonly TimeSpan QuestionDeadline = TimeSpan.FromSeconds(60);

    /// <summary>A follower who was told to wait (or that it is busy) tries again after this long, as a person would.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(250);

    private readonly long started = TimeProvider.System.GetTimestamp();
    private readonly ConcurrentBag<TimeSpan> busy = [];
    private readonly ConcurrentBag<Question> questions = [];
    private readonly CancellationTokenSource stopAsking = new();
    private Task running = Task.CompletedTask;

    public sealed record Question(string Follower, string Text, TimeSpan AskedAt, TimeSpan? AnsweredAt, int BusyReplies, string? Failure)
    {
        /// <summary>What the follower was shown, in order, with when (for a question that went wrong).</summary>
        public List<string> Trail { get; } = [];
    }

    /// <summary>Time since the drill started.</summary>
    public TimeSpan Now => TimeProvider.System.GetElapsedTime(started);

    public IReadOnlyList<TimeSpan> BusyReplies => [.. busy.Order()];

    public IReadOnlyList<Question> Questions => [.. questions];

    /// <summary>Starts every follower asking.</summary>
    public void Start() => running = Task.WhenAll(Enumerable.Range(0, followers).Select(RunFollowerAsync));

    /// <summary>Lets every follower finish its current question, then returns.</summary>
    public async Task StopAsync()
    {
        await stopAsking.CancelAsync();
        await running;
    }

    /// <summary>Waits until every follower has had at least <paramref name="count"/> questions answered; false when that took too long.</summary>
    public async Task<bool> WaitForAnswersAsync(int count)
    {
        var waiting = TimeProvider.System.GetTimestamp();
        while (!Enumerable.Range(0, followers).All(f => questions.Count(q => q.Follower == OpenId(f) && q.AnsweredAt is not null) >= count))
        {
            if (TimeProvider.System.GetElapsedTime(waiting) > QuestionDeadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25));
        }

        return true;
    }

    /// <summary>Dify calls per question text, for the ones asked more than once.</summary>
    public IReadOnlyDictionary<string, int> DuplicateDifyCalls() =>
        dify.Calls.Where(call => call.IsChat && call.Query is not null)
            .GroupBy(call => call.Query!)
            .Where(group => group.Count() > 1)
            .ToDictionary(group => group.Key, group => group.Count());

    /// <summary>One line for the test output: what the followers saw around the failover.</summary>
    public string Report(TimeSpan failedAt, TimeSpan promotedAt)
    {
        var answered = questions.Where(q => q.AnsweredAt is not null).ToList();
        var window = busy.IsEmpty ? "none" : $"{Format(busy.Min() - failedAt)} to {Format(busy.Max() - failedAt)} after the failure ({busy.Count} busy or unanswered)";
        return string.Create(CultureInfo.InvariantCulture,
            $"failure at {Format(failedAt)}, promotion {Format(promotedAt - failedAt)} later; questions {questions.Count}, answered {answered.Count}, "
            + $"lost {questions.Count - answered.Count}; busy replies {window}; duplicate Dify calls {DuplicateDifyCalls().Count}; "
            + $"longest wait for an answer {Format(LongestWait())}, longest after the promotion {Format(LongestWaitAfter(promotedAt))}");
    }

    /// <summary>The longest any answered question took, from first asking to the answer.</summary>
    public TimeSpan LongestWait() =>
        questions.Where(q => q.AnsweredAt is not null).Select(q => q.AnsweredAt!.Value - q.AskedAt).DefaultIfEmpty().Max();

    /// <summary>How long a follower still waited once Redis had a master again (questions asked before it count from then).</summary>
    public TimeSpan LongestWaitAfter(TimeSpan promotedAt) =>
        questions.Where(q => q.AnsweredAt is not null && q.AnsweredAt > promotedAt)
            .Select(q => q.AnsweredAt!.Value - (q.AskedAt > promotedAt ? q.AskedAt : promotedAt))
            .DefaultIfEmpty()
            .Max();

    private static string Format(TimeSpan span) => $"{span.TotalSeconds:0.0} s";

    private static string OpenId(int follower) => $"o-failover-{follower:00}";

    private async Task RunFollowerAsync(int follower)
    {
        var weChat = new FakeWeChat(a.Client, account)
        {
            Timeout = TimeSpan.FromSeconds(2),
            ClientFor = n => (n + follower) % 2 == 0 ? a.Client : b.Client,
        };
        for (var n = 1; !stopAsking.IsCancellationRequested; n++)
        {
            questions.Add(await AskAsync(weChat, OpenId(follower), $"f{follower:00}-q{n}"));
            await Task.Delay(Patience);
        }
    }

    private async Task<Question> AskAsync(FakeWeChat weChat, string openId, string question)
    {
        var askedAt = Now;
        var busyReplies = 0;
        var trail = new List<string>();
        for (var attempt = 1; Now - askedAt < QuestionDeadline; attempt++)
        {
            // Each attempt is a new message with its own text, so Dify calls can be counted per message.
            var text = attempt == 1 ? question : $"{question}-again{attempt}";
            var shown = Note(trail, text, FakeWeChat.Shown(await weChat.SendTextAsync(openId, text)));
            if (shown == Texts.Wait)
            {
                // Told to fetch the answer with `1`: do so until it comes. A busy reply to a `1` is only a failed fetch.
                do
                {
                    await Task.Delay(Patience);
                    shown = Note(trail, "1", FakeWeChat.Shown(await weChat.SendTextAsync(openId, "1")));
                    if (shown == Texts.StoreUnavailable || shown is null)
                    {
                        busy.Add(Now);
                        busyReplies++;
                    }
                }
                while (!IsAnswer(shown, text) && Now - askedAt < QuestionDeadline);
            }

            if (IsAnswer(shown, text))
            {
                var answered = new Question(openId, question, askedAt, Now, busyReplies, null);
                answered.Trail.AddRange(trail);
                return answered;
            }

            if (shown == Texts.StoreUnavailable || shown is null)
            {
                // The busy text, or no reply within WeChat's three deliveries (WeChat then shows the follower
                // "该公众号暂时无法提供服务"): either way the follower was told, and asks again.
                busy.Add(Now);
                busyReplies++;
                await Task.Delay(Patience);
                continue;
            }

            break;
        }

        var lost = new Question(openId, question, askedAt, null, busyReplies, $"no answer within {QuestionDeadline}");
        lost.Trail.AddRange(trail.Count > 12 ? [.. trail.Take(6), "…", .. trail.TakeLast(6)] : trail);
        return lost;
    }

    private string? Note(List<string> trail, string sent, string? shown)
    {
        var text = shown is null ? "(every delivery timed out)" : shown.Replace("\n", " / ", StringComparison.Ordinal);
        trail.Add(string.Create(CultureInfo.InvariantCulture, $"{Now.TotalSeconds:0.00} s: {sent} -> {text}"));
        return shown;
    }

    /// <summary>The fake Dify's answer, as a delivery replies it or as <c>1</c> fetches it (the question above it).</summary>
    private static bool IsAnswer(string? shown, string text) =>
        shown == $"echo: {text}" || shown?.EndsWith($"\necho: {text}", StringComparison.Ordinal) == true;
}
