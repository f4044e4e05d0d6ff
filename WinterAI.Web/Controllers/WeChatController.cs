using Microsoft.AspNetCore.Mvc;
using WinterAI.Domain.WeChat;
using WinterAI.Web.Infrastructure;

namespace WinterAI.Web.Controllers;

/// <summary>The official account's server URL (URL verification and message push, all three encryption modes).</summary>
[Route("wechat")]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class WeChatController(OfficialAccountEndpoint endpoint, TimeProvider time) : ControllerBase
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
        var arrivedAt = time.GetUtcNow();
        if (!endpoint.IsEnabled)
        {
            return CallbackResult.NotFound().ToActionResult();
        }

        var aborted = HttpContext.RequestAborted;
        var body = await CallbackBody.ReadAsync(Request, aborted);
        if (body is null)
        {
            return new ContentResult { StatusCode = StatusCodes.Status413PayloadTooLarge, Content = "Body too large.", ContentType = CallbackResult.PlainText };
        }

        var query = new CallbackQuery(signature, timestamp, nonce, null, encryptType, msgSignature);
        return (await endpoint.ReceiveAsync(query, body, arrivedAt, aborted)).ToActionResult();
    }
}
