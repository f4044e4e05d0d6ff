using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace WinterAI.Bench;

/// <summary>
/// One follower's question. Its Dify latency is written into the text, so the fake Dify needs no side channel and
/// every figure can be checked against the question itself; the answer is derived from the text too, so a
/// follower who receives someone else's answer is caught.
/// </summary>
public sealed partial record BenchQuestion(int Follower, string OpenId, int LatencyMs, string Text)
{
    public const int MinLatencyMs = 500;
    public const int MaxLatencyMs = 20_000;

    /// <summary>The answer the fake Dify streams for this question.</summary>
    public string Answer => AnswerFor(Text)!;

    /// <summary>Latencies drawn uniformly from 0.5–20 s with a fixed seed: every run and configuration asks the same.</summary>
    public static IReadOnlyList<BenchQuestion> Generate(int followers, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, followers)
            .Select(i =>
            {
                var latency = random.Next(MinLatencyMs, MaxLatencyMs + 1);
                return new BenchQuestion(i, $"o_bench_{i:0000}", latency, $"bench f{i:0000} latency={latency}ms");
            })
            .ToList();
    }

    /// <summary>The latency asked for in <paramref name="question"/>, or null for anything that is not a bench question.</summary>
    public static int? LatencyOf(string question)
    {
        var match = QuestionPattern().Match(question);
        return match.Success ? int.Parse(match.Groups["latency"].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>
    /// Plain text that Markdown rendering leaves unchanged (no markup characters, one paragraph) and that fits one
    /// WeChat page, so what the follower sees must equal it exactly.
    /// </summary>
    public static string? AnswerFor(string question)
    {
        var match = QuestionPattern().Match(question);
        if (!match.Success)
        {
            return null;
        }

        var id = match.Groups["id"].Value;
        var latency = match.Groups["latency"].Value;
        return $"回答 {id}：这是给关注者 {id} 的回答，Dify 想了 {latency} 毫秒。校验码 {Checksum(question):x8}，只属于这个问题。";
    }

    /// <summary>The answer cut into a few stream chunks (answers hold no surrogate pairs, so any char boundary is a character boundary).</summary>
    public static IReadOnlyList<string> Chunks(string answer, int count)
    {
        var size = (answer.Length + count - 1) / count;
        return answer.Chunk(size).Select(c => new string(c)).ToList();
    }

    private static uint Checksum(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }

    [GeneratedRegex(@"^bench (?<id>f\d+) latency=(?<latency>\d+)ms$")]
    private static partial Regex QuestionPattern();
}
