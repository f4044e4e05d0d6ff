using System.Diagnostics.Metrics;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeCom;

/// <summary>
/// message/send outcomes on the "WinterAI" meter, tagged with WeCom's errcode so that a refusal (an IP not on the
/// trusted list, a member outside the app's visible range…) shows up on a dashboard and not only in the logs.
/// </summary>
public sealed class WeComMetrics
{
    private readonly Counter<long> sends;

    public WeComMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(DeliveryMetrics.MeterName);
        sends = Meter.CreateCounter<long>(
            "winterai.wecom.sends",
            description: "WeCom message/send calls by outcome (sent, busy = errcode -1 retried, failed) and errcode.");
    }

    public Meter Meter { get; }

    public void Sent() => Count("sent", null);

    /// <summary>WeCom answered -1 (system busy); the call is retried.</summary>
    public void Busy() => Count("busy", -1);

    /// <summary>The message did not go out: WeCom refused it with <paramref name="errcode"/>, or could not be reached (-2).</summary>
    public void Failed(int errcode) => Count("failed", errcode);

    private void Count(string outcome, int? errcode)
    {
        if (errcode is { } code)
        {
            sends.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("errcode", code));
        }
        else
        {
            sends.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}
