using Microsoft.AspNetCore.Mvc;
using WinterAI.Domain.Channels.OfficialAccount;
using WinterAI.Domain.Protocol.Callbacks;
using WinterAI.Web.Infrastructure;

namespace WinterAI.Web.Controllers;

/// <summary>The official account's server URL (URL verification and message push, all three encryption modes).</summary>
[Route("wechat")]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class WeChatController(OfficialAccountEndpoint endpoint, CallbackReceiver receiver) : ControllerBase
{
    [HttpGet]
    public IActionResult Verify(
        [FromQuery] string? signature,
        [FromQuery] string? timestamp,
        [FromQuery] string? nonce,
        [FromQuery] string? echostr) =>
        endpoint.Verify(new CallbackQuery(signature, timestamp, nonce, echostr, null, null)).ToActionResult();

    [HttpPost]
    public async Task<IActionResult> Receive(
        [FromQuery] string? signature,
        [FromQuery] string? timestamp,
        [FromQuery] string? nonce,
        [FromQuery(Name = "encrypt_type")] string? encryptType,
        [FromQuery(Name = "msg_signature")] string? msgSignature)
    {
        var query = new CallbackQuery(signature, timestamp, nonce, null, encryptType, msgSignature);
        return await receiver.ReceiveAsync(HttpContext, () => endpoint.Admit(query), (body, arrivedAt, aborted) => endpoint.ReceiveAsync(query, body, arrivedAt, aborted));
    }
}
