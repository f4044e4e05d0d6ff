namespace WinterAI.Web.Admin;

/// <summary>What <c>GET /admin/stats</c> returns: everything counted by this instance since it started.</summary>
/// <param name="Deliveries">Counts by outcome; <c>Answered_on_delivery_N</c> splits passive answers by WeChat's delivery number.</param>
public sealed record StatsReport(
    DateTimeOffset StartedAt,
    TimeSpan Uptime,
    IReadOnlyDictionary<string, long> Deliveries,
    DifyStats Dify,
    QueueStats Queues);
