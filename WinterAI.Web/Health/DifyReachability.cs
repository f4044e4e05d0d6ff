using System.Net.Http.Headers;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Dify;

namespace WinterAI.Web.Health;

/// <summary>
/// The readiness check "dify": whether Dify answers, asked at most once per <see cref="CacheFor"/> whatever the
/// readiness probe's rate, so a load balancer polling /readyz never hammers Dify. Uses <c>GET /parameters</c>: cheap,
/// and it proves the key too. Registered as a singleton, so the cached answer outlives each probe.
/// </summary>
public sealed class DifyReachability(IHttpClientFactory clients, IOptions<DifyOptions> options, DifyMetrics metrics, TimeProvider time) : IHealthCheck
{
    /// <summary>The named HTTP client, configured (5 s timeout) where it is registered.</summary>
    public const string ClientName = "dify-readiness";

    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim probing = new(1, 1);
    private (DateTimeOffset At, string Status)? last;

    /// <summary>Healthy when Dify answered; otherwise the description says why (<c>not configured</c>, <c>circuit open</c>, <c>HTTP 401</c>, <c>unreachable</c>).</summary>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = await StatusAsync(cancellationToken);
        return status == Readiness.Ok ? HealthCheckResult.Healthy(status) : HealthCheckResult.Unhealthy(status);
    }

    private async Task<string> StatusAsync(CancellationToken ct)
    {
        if (!options.Value.IsConfigured)
        {
            return "not configured";
        }

        if (metrics.IsCircuitOpen)
        {
            return "circuit open";
        }

        await probing.WaitAsync(ct);
        try
        {
            if (last is { } cached && time.GetUtcNow() - cached.At < CacheFor)
            {
                return cached.Status;
            }

            var status = await ProbeAsync(ct);
            last = (time.GetUtcNow(), status);
            return status;
        }
        finally
        {
            probing.Release();
        }
    }

    private async Task<string> ProbeAsync(CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, options.Value.BaseUrl.TrimEnd('/') + "/parameters");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.ApiKey.Trim());
            using var response = await clients.CreateClient(ClientName).SendAsync(request, ct);
            return response.IsSuccessStatusCode ? Readiness.Ok : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return "unreachable";
        }
    }
}
