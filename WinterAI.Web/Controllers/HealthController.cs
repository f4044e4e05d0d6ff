using Microsoft.AspNetCore.Mvc;
using WinterAI.Domain.Storage;
using WinterAI.Web.Health;

namespace WinterAI.Web.Controllers;

[ApiExplorerSettings(IgnoreApi = true)]
public sealed class HealthController(IStateStore store, StoreDescription description, DifyReachability dify) : ControllerBase
{
    /// <summary>Liveness: the process is up and serving requests.</summary>
    [HttpGet("/healthz")]
    public IActionResult Healthz() => Content("ok", "text/plain");

    /// <summary>Readiness: the store answers and Dify is reachable (checked at most every 30 s). 503 when not ready.</summary>
    [HttpGet("/readyz")]
    public async Task<IActionResult> Readyz(CancellationToken ct)
    {
        string storeStatus;
        try
        {
            await store.PingAsync(ct);
            storeStatus = "ok";
        }
        catch (StoreUnavailableException)
        {
            storeStatus = "unreachable";
        }

        var difyStatus = await dify.CheckAsync(ct);
        var ready = storeStatus == "ok" && difyStatus == "ok";
        return StatusCode(ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, new Readiness(ready, description.Kind, storeStatus, difyStatus));
    }
}
