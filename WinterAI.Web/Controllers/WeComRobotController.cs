using Microsoft.AspNetCore.Mvc;
using WinterAI.Domain.Channels.WeComRobot;
using WinterAI.Domain.Protocol.Callbacks;
using WinterAI.Web.Infrastructure;

namespace WinterAI.Web.Controllers;

/// <summary>The WeCom intelligent robot's receive URL (webhook mode): URL verification, messages, stream refreshes, events.</summary>
[Route("wecom-robot")]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class WeComRobotController(WeComRobotEndpoint endpoint, CallbackReceiver receiver) : ControllerBase
{
    [HttpGet]
    public IActionResult Verify(
        [FromQuery(Name = "msg_signature")] string? msgSignature,
        [FromQuery] string? timestamp,
        [FromQuery] string? nonce,
        [FromQuery] string? echostr) =>
        endpoint.Verify(new CallbackQuery(null, timestamp, nonce, echostr, null, msgSignature)).ToActionResult();

    [HttpPost]
    public async Task<IActionResult> Receive(
        [FromQuery(Name = "msg_signature")] string? msgSignature,
        [FromQuery] string? timestamp,
        [FromQuery] string? nonce)
    {
        var query = new CallbackQuery(null, timestamp, nonce, null, null, msgSignature);
        return await receiver.ReceiveAsync(HttpContext, () => endpoint.Admit(query), (body, arrivedAt, aborted) => endpoint.ReceiveAsync(query, body, arrivedAt, aborted));
    }
}
