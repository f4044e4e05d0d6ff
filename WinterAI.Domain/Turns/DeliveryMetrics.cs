using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace WinterAI.Domain.Turns;

/// <summary>
/// Delivery instruments on the "WinterAI" meter, plus totals since start for the admin API (which cannot read
/// a Meter back).
/// </summary>
public sealed class DeliveryMetrics
{
    public const string MeterName = "WinterAI";

    private readonly Counter<long> deliveries;
    private readonly ConcurrentDictionary<string, long> totals = new();

    public DeliveryMetrics(IMeterFactory meters, DifyGate gate)
    {
        var meter = meters.Create(MeterName);
        deliveries = meter.CreateCounter<long>("winterai.deliveries", description: "Deliveries and pushes by outcome (answered on delivery 1/2/3, held, wait message, pushed, push fallback, fetched by 1, quota, busy).");
        meter.CreateObservableGauge("winterai.dify.running", () => gate.Running, description: "Dify calls running on this instance.");
        meter.CreateObservableGauge("winterai.dify.waiting", () => gate.Waiting, description: "Turns waiting for a free Dify slot on this instance.");
    }

    /// <param name="account">The follower's account: deliveries are tagged with it, so several accounts can be told apart.</param>
    public void Delivered(string account, DeliveryOutcome outcome, long? delivery = null)
    {
        var name = outcome.ToString();
        var accountTag = new KeyValuePair<string, object?>("account", account);
        if (delivery is { } number)
        {
            deliveries.Add(1, new KeyValuePair<string, object?>("outcome", name), new KeyValuePair<string, object?>("delivery", number), accountTag);
            totals.AddOrUpdate($"{name}_on_delivery_{number}", 1, (_, n) => n + 1);
        }
        else
        {
            deliveries.Add(1, new KeyValuePair<string, object?>("outcome", name), accountTag);
        }

        totals.AddOrUpdate(name, 1, (_, n) => n + 1);
    }

    /// <summary>Counts since this process started, keyed by outcome (and outcome_on_delivery_N for passive answers).</summary>
    public IReadOnlyDictionary<string, long> Totals() => new SortedDictionary<string, long>(totals);
}
