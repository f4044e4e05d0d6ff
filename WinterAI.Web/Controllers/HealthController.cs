using Microsoft.AspNetCore.Mvc;

namespace WinterAI.Web.Controllers;

[ApiExplorerSettings(IgnoreApi = true)]
public sealed class HealthController : ControllerBase
{
    /// <summary>Liveness: the process is up and serving requests.</summary>
    [HttpGet("/healthz")]
    public IActionResult Healthz() => Content("ok", "text/plain");
}
