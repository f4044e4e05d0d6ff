using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WinterAI.Domain.Storage;

namespace WinterAI.Web.Health;

public static class HealthExtensions
{
    public const string StoreCheck = "store";

    public const string DifyCheck = "dify";

    /// <summary>The checks <c>/readyz</c> runs, tagged with it.</summary>
    public const string ReadyTag = "ready";

    /// <summary>The readiness checks: the store answers, Dify answers (asked at most every 30 s).</summary>
    public static IHostApplicationBuilder AddWinterAIHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpClient(DifyReachability.ClientName, http => http.Timeout = TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton<DifyReachability>();
        builder.Services.AddHealthChecks()
            .AddCheck<StoreReachability>(StoreCheck, tags: [ReadyTag])
            .AddCheck<DifyReachability>(DifyCheck, tags: [ReadyTag]);
        return builder;
    }

    /// <summary>
    /// <c>GET /healthz</c>: liveness, no check, the text <c>ok</c>. <c>GET /readyz</c>: the ready checks, 200 or 503
    /// with a <see cref="Readiness"/> body.
    /// </summary>
    public static WebApplication MapWinterAIHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteLivenessAsync })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteReadinessAsync })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
        return app;
    }

    private static Task WriteLivenessAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(Readiness.Ok, context.RequestAborted);
    }

    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        var store = context.RequestServices.GetRequiredService<StoreDescription>();
        var readiness = new Readiness(report.Status == HealthStatus.Healthy, store.Kind, Status(report, StoreCheck), Status(report, DifyCheck));
        return context.Response.WriteAsJsonAsync(readiness, context.RequestAborted);
    }

    // A check that threw is reported by name only: its exception's message may say where the store is.
    private static string Status(HealthReport report, string check) =>
        report.Entries[check] is { Exception: null, Description: { } status } ? status : "failed";
}
