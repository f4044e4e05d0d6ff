using Microsoft.Extensions.Diagnostics.HealthChecks;
using WinterAI.Domain.Storage;

namespace WinterAI.Web.Health;

/// <summary>The readiness check "store": the shared store answers a ping within its operation timeout.</summary>
public sealed class StoreReachability(IStateStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy(Readiness.Ok);
        }
        catch (StoreUnavailableException)
        {
            return HealthCheckResult.Unhealthy("unreachable");
        }
    }
}
