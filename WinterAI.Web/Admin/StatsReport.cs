using WinterAI.Domain.Storage;

namespace WinterAI.Web.Admin;

/// <summary>What <c>GET /admin/stats</c> returns: the store in use and everything counted by this instance since it started.</summary>
/// <param name="Store">The state store this instance uses: its kind, its Redis endpoints, whether instances share it.</param>
/// <param name="Deliveries">Counts by outcome; <c>Answered_on_delivery_N</c> splits passive answers by WeChat's delivery number.</param>
public sealed record StatsReport(
    DateTimeOffset StartedAt,
    TimeSpan Uptime,
    StoreDescription Store,
    IReadOnlyDictionary<string, long> Deliveries,
    DifyStats Dify,
    QueueStats Queues);
