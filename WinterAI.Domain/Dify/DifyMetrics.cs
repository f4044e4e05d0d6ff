using System.Diagnostics.Metrics;

namespace WinterAI.Domain.Dify;

/// <summary>
/// Dify instruments on the shared <c>WinterAI</c> meter. Register as a singleton; with an
/// <see cref="IMeterFactory"/> the meter belongs to the factory (one per service provider), without one this
/// instance owns it.
/// </summary>
public sealed class DifyMetrics : IDisposable
{
    public const string MeterName = "WinterAI";

    readonly bool ownsMeter;
    readonly Histogram<double> duration;
    readonly Counter<long> retries;
    readonly Counter<long> rateLimited;
    readonly Counter<long> failures;
    int circuitOpen;

    public DifyMetrics(IMeterFactory? meterFactory = null)
    {
        ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        duration = Meter.CreateHistogram<double>("winterai.dify.duration", "s",
            "Duration of a Dify call (a chat turn includes retries and the whole stream), tagged with its outcome.");
        retries = Meter.CreateCounter<long>("winterai.dify.retries", "{retry}",
            "Attempts retried after 429, 5xx or a connection failure.");
        rateLimited = Meter.CreateCounter<long>("winterai.dify.rate_limited", "{response}",
            "429 responses received from Dify.");
        failures = Meter.CreateCounter<long>("winterai.dify.failures", "{call}",
            "Dify calls that failed, tagged with the failure kind.");
        Meter.CreateObservableGauge("winterai.dify.circuit_open", () => Volatile.Read(ref circuitOpen), "{state}",
            "1 while the circuit breaker keeps calls away from Dify (open or probing), 0 when closed.");
    }

    /// <summary>True while the circuit breaker is rejecting calls; readiness checks can report it.</summary>
    public bool IsCircuitOpen => Volatile.Read(ref circuitOpen) == 1;

    internal Meter Meter { get; }

    internal void Finished(string operation, string outcome, TimeSpan elapsed) =>
        duration.Record(elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("outcome", outcome));

    internal void Retried(string reason) => retries.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal void RateLimitedResponse() => rateLimited.Add(1);

    internal void Failed(string operation, DifyFailure failure) =>
        failures.Add(1,
            new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("failure", DifyErrors.TagValue(failure)));

    internal void CircuitChanged(bool open) => Volatile.Write(ref circuitOpen, open ? 1 : 0);

    public void Dispose()
    {
        if (ownsMeter)
        {
            Meter.Dispose();
        }
    }
}
