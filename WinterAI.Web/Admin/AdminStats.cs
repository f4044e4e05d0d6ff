using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;

namespace WinterAI.Web.Admin;

/// <summary>
/// Reads this host's own "WinterAI" instruments back (a <see cref="MeterListener"/> filtered to this host's meter
/// factory, so hosts sharing a process do not mix) and keeps what the admin stats endpoint reports: Dify latency
/// percentiles over the most recent turns, retries, 429s and failures since start.
/// </summary>
public sealed class AdminStats : IHostedService, IDisposable
{
    /// <summary>Percentiles are computed over this many most recent Dify turns.</summary>
    public const int LatencySamples = 4096;

    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<double> latencies = new();
    private readonly ConcurrentDictionary<string, long> counters = new();
    private readonly DeliveryMetrics deliveries;
    private readonly DifyMetrics dify;
    private readonly DifyGate gate;
    private readonly TimeProvider time;
    private readonly DateTimeOffset startedAt;

    public AdminStats(IMeterFactory meters, DeliveryMetrics deliveries, DifyMetrics dify, DifyGate gate, TimeProvider time)
    {
        this.deliveries = deliveries;
        this.dify = dify;
        this.gate = gate;
        this.time = time;
        startedAt = time.GetUtcNow();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == DeliveryMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name.StartsWith("winterai.dify.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => OnDuration(instrument, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => OnCount(instrument, value, tags));
        listener.Start();
    }

    private void OnDuration(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (instrument.Name != "winterai.dify.duration" || Tag(tags, "operation") != "chat")
        {
            return;
        }

        latencies.Enqueue(seconds);
        while (latencies.Count > LatencySamples && latencies.TryDequeue(out _))
        {
        }

        counters.AddOrUpdate($"turns_{Tag(tags, "outcome")}", 1, (_, n) => n + 1);
    }

    private void OnCount(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var name = instrument.Name["winterai.dify.".Length..];
        var detail = Tag(tags, "failure") ?? Tag(tags, "reason");
        counters.AddOrUpdate(detail is null ? name : $"{name}_{detail}", value, (_, n) => n + value);
    }

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }

    /// <param name="store">Passed in rather than injected: resolving it creates the store, which should happen on first use, not when this starts.</param>
    public StatsReport Report(StoreDescription store)
    {
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        return new StatsReport(
            startedAt,
            time.GetUtcNow() - startedAt,
            store,
            deliveries.Totals(),
            new DifyStats(
                sorted.Length,
                Percentile(sorted, 0.50),
                Percentile(sorted, 0.90),
                Percentile(sorted, 0.99),
                new SortedDictionary<string, long>(counters),
                dify.IsCircuitOpen ? "open" : "closed"),
            new QueueStats(gate.Running, gate.Waiting));
    }

    private static double? Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? null : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)], 6);

    /// <summary>Nothing to start: being a hosted service only makes the host create this (and its listener) at start-up, before the first turn.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => listener.Dispose();
}
