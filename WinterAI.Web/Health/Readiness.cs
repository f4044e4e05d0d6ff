namespace WinterAI.Web.Health;

/// <summary>
/// What /readyz reports to anyone who asks: only kinds and states. Where the store is (Redis hosts and ports) is for
/// operators and shows in <c>GET /admin/stats</c>.
/// </summary>
/// <param name="Store"><c>redis</c> or <c>in-memory</c>.</param>
/// <param name="StoreStatus"><c>ok</c> or why not: the description of the "store" check.</param>
/// <param name="Dify"><c>ok</c> or why not: the description of the "dify" check.</param>
public sealed record Readiness(bool Ready, string Store, string StoreStatus, string Dify)
{
    /// <summary>The status of a check that passed.</summary>
    public const string Ok = "ok";
}
