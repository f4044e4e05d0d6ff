using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace WinterAI.Tests.Dify;

/// <summary>Records the measurements of one <see cref="Meter"/> instance, so parallel hosts do not mix.</summary>
sealed class MetricRecorder : IDisposable
{
    readonly MeterListener listener = new();
    readonly ConcurrentQueue<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> measurements = new();

    public MetricRecorder(Meter meter)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, tags.ToArray())));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => measurements.Enqueue((i.Name, v, tags.ToArray())));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, tags.ToArray())));
        listener.Start();
    }

    /// <summary>Sum of the instrument's measurements, optionally only those carrying tag = value.</summary>
    public double Sum(string instrument, string? tag = null, object? value = null) =>
        measurements
            .Where(m => m.Instrument == instrument)
            .Where(m => tag is null || m.Tags.Any(t => t.Key == tag && Equals(t.Value, value)))
            .Sum(m => m.Value);

    /// <summary>How many measurements the instrument recorded, optionally only those carrying tag = value.</summary>
    public int Count(string instrument, string? tag = null, object? value = null) =>
        measurements.Count(m => m.Instrument == instrument && (tag is null || m.Tags.Any(t => t.Key == tag && Equals(t.Value, value))));

    /// <summary>The latest value of an observable instrument.</summary>
    public double Observe(string instrument)
    {
        listener.RecordObservableInstruments();
        return measurements.Last(m => m.Instrument == instrument).Value;
    }

    public void Dispose() => listener.Dispose();
}
