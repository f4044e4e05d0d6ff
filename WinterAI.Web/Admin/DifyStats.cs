namespace WinterAI.Web.Admin;

/// <param name="Turns">Chat turns sampled for the percentiles (the most recent ones).</param>
/// <param name="LatencyP50Seconds">Whole-turn latency, retries and streaming included.</param>
/// <param name="Counters">turns by outcome, retries by reason, rate_limited (429 responses), failures by kind.</param>
/// <param name="Circuit">"open" while the circuit breaker keeps calls away from Dify.</param>
public sealed record DifyStats(
    int Turns,
    double? LatencyP50Seconds,
    double? LatencyP90Seconds,
    double? LatencyP99Seconds,
    IReadOnlyDictionary<string, long> Counters,
    string Circuit);
