namespace WinterAI.Web.Health;

/// <summary>
/// What /readyz reports to anyone who asks: only kinds and states. Where the store is (Redis hosts and ports) is for
/// operators and shows in <c>GET /admin/stats</c>.
/// </summary>
/// <param name="Store"><c>redis</c> or <c>in-memory</c>.</param>
public sealed record Readiness(bool Ready, string Store, string StoreStatus, string Dify);
