using System.Globalization;
using System.Text;

namespace WinterAI.Bench;

/// <summary>The figures of one configuration, computed once the run is over, and the pass/fail verdict.</summary>
public sealed class ConfigurationReport
{
    /// <summary>
    /// Three deliveries at 5 s each, each waiting 4.5 s: the last one waits until ~14.5 s after the first arrived. An
    /// answer ready 1 s before that must still make it passively; beyond that scheduling noise decides.
    /// </summary>
    public const int PassiveGuaranteeMs = 13_500;

    public ConfigurationReport(BenchConfiguration configuration, IReadOnlyList<FollowerResult> followers, FakePlatforms platforms, TimeSpan wall, IReadOnlyList<string> crashedInstances, IReadOnlyList<string> logs)
    {
        Configuration = configuration;
        Followers = followers;
        Wall = wall;
        CrashedInstances = crashedInstances;
        Logs = logs;
        Calls = followers.ToDictionary(f => f.Question.OpenId, f => platforms.CallsFor(f.Question.Text));
        Pushes = platforms.Pushes.ToList();
        UnexpectedRequests = platforms.Unexpected.ToList();
        TypingCalls = platforms.TypingCalls;
        var asked = followers.Select(f => f.Question.Text).ToHashSet();
        StrayCalls = platforms.AllCalls.Count(c => !asked.Contains(c.Query));

        Duplicates = followers.Where(f => Calls[f.Question.OpenId].Count > 1).ToList();
        Lost = followers.Where(f => f.Outcome == Outcome.Lost).ToList();
        NotPassiveWithinGuarantee = followers.Where(f => f.Question.LatencyMs <= PassiveGuaranteeMs && f.Outcome != Outcome.Passive).ToList();
        WithProblems = followers.Where(f => f.Problems.Count > 0).ToList();

        Added = followers
            .Where(f => f is { Outcome: Outcome.Passive, Carrier.RespondedAtMs: not null })
            .Select(f => (f, end: FirstEnd(f)))
            .Where(x => x.end is not null)
            .Select(x => x.f.Carrier!.RespondedAtMs!.Value - Math.Max(x.f.Carrier.SentAtMs, x.end!.Value))
            .Order()
            .ToList();
        PushAdded = followers
            .Where(f => f.Outcome == Outcome.Push && FirstEnd(f) is not null)
            .Select(f => f.AnsweredAtMs!.Value - FirstEnd(f)!.Value)
            .Order()
            .ToList();
        FetchAdded = followers
            .Where(f => f.Outcome == Outcome.Fetch && FirstEnd(f) is not null)
            .Select(f => f.AnsweredAtMs!.Value - FirstEnd(f)!.Value)
            .Order()
            .ToList();
        var deliveries = followers.SelectMany(f => f.AllDeliveries).ToList();
        Deliveries = deliveries.Count;
        AbandonedDeliveries = deliveries.Count(d => d.TimedOut);
    }

    public BenchConfiguration Configuration { get; }

    public IReadOnlyList<FollowerResult> Followers { get; }

    public TimeSpan Wall { get; }

    public IReadOnlyList<string> CrashedInstances { get; }

    public IReadOnlyList<string> Logs { get; }

    /// <summary>Dify calls per follower's question.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<DifyCall>> Calls { get; }

    public IReadOnlyList<PushedMessage> Pushes { get; }

    public IReadOnlyList<string> UnexpectedRequests { get; }

    public int TypingCalls { get; }

    /// <summary>Dify calls for questions no follower asked (e.g. a `1` mistaken for a question).</summary>
    public int StrayCalls { get; }

    public IReadOnlyList<FollowerResult> Duplicates { get; }

    public IReadOnlyList<FollowerResult> Lost { get; }

    public IReadOnlyList<FollowerResult> NotPassiveWithinGuarantee { get; }

    public IReadOnlyList<FollowerResult> WithProblems { get; }

    /// <summary>Per passive answer: the carrying delivery's response instant minus the later of its send and Dify's message_end (ms).</summary>
    public IReadOnlyList<double> Added { get; }

    /// <summary>Per pushed answer: the push instant minus Dify's message_end (ms).</summary>
    public IReadOnlyList<double> PushAdded { get; }

    /// <summary>Per answer fetched with <c>1</c>: when it reached the follower minus Dify's message_end (ms); mostly the follower's own delay.</summary>
    public IReadOnlyList<double> FetchAdded { get; }

    public int Deliveries { get; }

    public int AbandonedDeliveries { get; }

    public bool Passed => Duplicates.Count == 0 && Lost.Count == 0 && NotPassiveWithinGuarantee.Count == 0 && WithProblems.Count == 0
                          && StrayCalls == 0 && UnexpectedRequests.Count == 0 && CrashedInstances.Count == 0;

    public int Count(Outcome outcome) => Followers.Count(f => f.Outcome == outcome);

    public int PassiveOn(int attempt) => Followers.Count(f => f.Outcome == Outcome.Passive && f.Carrier!.Attempt == attempt);

    public static string TableHeader =>
        "| config | followers | passive | on delivery 1 / 2 / 3 | push | by `1` | lost | duplicate Dify calls | ≤ 13.5 s not passive | wrong replies | added p50 | added p99 | added max | wall |\n" +
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    public string TableRow()
    {
        var n = Followers.Count;
        string Pct(int count) => string.Create(CultureInfo.InvariantCulture, $"{100.0 * count / n:0.0} %");
        return string.Create(CultureInfo.InvariantCulture,
            $"| {Configuration.Name}: {Configuration.Description} | {n} | {Pct(Count(Outcome.Passive))} | {PassiveOn(1)} / {PassiveOn(2)} / {PassiveOn(3)} | " +
            $"{Pct(Count(Outcome.Push))} | {Pct(Count(Outcome.Fetch))} | {Lost.Count} | {Duplicates.Count} | {NotPassiveWithinGuarantee.Count} | {WithProblems.Count} | " +
            $"{Ms(Percentile(Added, 50))} | {Ms(Percentile(Added, 99))} | {Ms(Added.Count > 0 ? Added[^1] : null)} | {Wall.TotalSeconds:0.0} s |");
    }

    /// <summary>How answers arrived by Dify latency: shows where the passive window ends.</summary>
    public string LatencyBands()
    {
        var text = new StringBuilder();
        text.AppendLine("| Dify latency | followers | passive (d1 / d2 / d3) | push | by `1` | lost |");
        text.AppendLine("|---|---:|---|---:|---:|---:|");
        (int From, int To)[] bands = [(500, 4_500), (4_500, 9_500), (9_500, 13_500), (13_500, 14_500), (14_500, 20_000)];
        foreach (var (from, to) in bands)
        {
            var band = Followers.Where(f => f.Question.LatencyMs > (from == 500 ? 0 : from) && f.Question.LatencyMs <= to).ToList();
            int On(int attempt) => band.Count(f => f.Outcome == Outcome.Passive && f.Carrier!.Attempt == attempt);
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {from / 1000.0:0.0}–{to / 1000.0:0.0} s | {band.Count} | {band.Count(f => f.Outcome == Outcome.Passive)} ({On(1)} / {On(2)} / {On(3)}) | " +
                $"{band.Count(f => f.Outcome == Outcome.Push)} | {band.Count(f => f.Outcome == Outcome.Fetch)} | {band.Count(f => f.Outcome == Outcome.Lost)} |"));
        }

        return text.ToString();
    }

    /// <summary>Counts and the first timelines of whatever failed, for the report.</summary>
    public string Details()
    {
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"- Dify calls: {Calls.Values.Sum(c => c.Count)} for {Followers.Count} questions ({Calls.Values.Count(c => c.Count == 0)} questions never reached Dify, {StrayCalls} stray calls, {Calls.Values.SelectMany(c => c).Count(c => c.Aborted)} streams dropped by WinterAI)"));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"- WeChat deliveries: {Deliveries}, of which {AbandonedDeliveries} abandoned after 5 s (held on purpose, or late)"));
        var fetches = Followers.SelectMany(f => f.Messages).Where(m => m.Text == "1").ToList();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"- `1` sent: {fetches.Count}, answered \"still thinking\": {fetches.Count(m => m.Deliveries[^1].Content?.Contains("还在思考", StringComparison.Ordinal) == true)}; " +
            $"answer by `1` after message_end p50 {Ms(Percentile(FetchAdded, 50))}, p99 {Ms(Percentile(FetchAdded, 99))}"));
        if (Configuration.Push)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"- pushes: {Pushes.Count}, typing calls: {TypingCalls}; push after message_end p50 {Ms(Percentile(PushAdded, 50))}, p99 {Ms(Percentile(PushAdded, 99))}"));
        }

        if (UnexpectedRequests.Count > 0)
        {
            text.AppendLine($"- unexpected requests to the fakes: {UnexpectedRequests.Count}, e.g. {UnexpectedRequests[0]}");
        }

        foreach (var log in Logs)
        {
            text.AppendLine($"- {LogSummary(log)}");
        }

        foreach (var crashed in CrashedInstances)
        {
            text.AppendLine($"- an instance exited during the run; see {crashed}");
        }

        AppendTimelines(text, "duplicate Dify calls", Duplicates);
        AppendTimelines(text, "lost answers", Lost);
        AppendTimelines(text, "answers within 13.5 s not delivered passively", NotPassiveWithinGuarantee);
        AppendTimelines(text, "wrong replies", WithProblems);
        return text.ToString();
    }

    public string AllTimelines() => string.Join("\n", Followers.Select(Timeline));

    private void AppendTimelines(StringBuilder text, string what, IReadOnlyList<FollowerResult> followers)
    {
        if (followers.Count == 0)
        {
            return;
        }

        text.AppendLine($"- {what}: {followers.Count}; the first ones:");
        text.AppendLine("```");
        foreach (var follower in followers.Take(5))
        {
            text.Append(Timeline(follower));
        }

        text.AppendLine("```");
    }

    private string Timeline(FollowerResult follower) =>
        follower.Timeline(Calls[follower.Question.OpenId], Pushes.Where(p => p.OpenId == follower.Question.OpenId));

    /// <summary>Warnings and errors an instance logged: a clean run has none.</summary>
    private static string LogSummary(string path)
    {
        string[] lines;
        try
        {
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            lines = reader.ReadToEnd().Split('\n');
        }
        catch (IOException ex)
        {
            return $"{Path.GetFileName(path)}: unreadable ({ex.Message})";
        }

        int Level(string level) => lines.Count(l => l.Contains($" {level}: ", StringComparison.Ordinal) || l.StartsWith($"{level}: ", StringComparison.Ordinal));
        var first = lines.FirstOrDefault(l => l.Contains(" warn: ", StringComparison.Ordinal) || l.Contains(" fail: ", StringComparison.Ordinal) || l.Contains(" crit: ", StringComparison.Ordinal));
        return $"{Path.GetFileName(path)}: {Level("warn")} warnings, {Level("fail")} errors, {Level("crit")} critical" + (first is null ? "" : $"; first: `{first.Trim()}`");
    }

    private double? FirstEnd(FollowerResult follower) => Calls[follower.Question.OpenId].FirstOrDefault(c => c.EndedAtMs is not null)?.EndedAtMs;

    private static string Ms(double? ms) => ms is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0} ms") : "–";

    /// <summary>Nearest-rank percentile of an ordered list.</summary>
    public static double? Percentile(IReadOnlyList<double> ordered, double percent) =>
        ordered.Count == 0 ? null : ordered[Math.Clamp((int)Math.Ceiling(percent / 100 * ordered.Count) - 1, 0, ordered.Count - 1)];
}
