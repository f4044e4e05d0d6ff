using Microsoft.AspNetCore.Mvc;
using WinterAI.Domain.WeChat;

namespace WinterAI.Web.Infrastructure;

/// <summary>What every platform callback POST does before its endpoint: note the arrival, 404 when the channel is off, read the body with its size limit (413).</summary>
public static class CallbackReceiver
{
    public static async Task<IActionResult> ReceiveAsync(
        HttpContext context,
        TimeProvider time,
        bool enabled,
        Func<string, DateTimeOffset, CancellationToken, Task<CallbackResult>> receive)
    {
        var arrivedAt = time.GetUtcNow();
        if (!enabled)
        {
            return CallbackResult.NotFound().ToActionResult();
        }

        var aborted = context.RequestAborted;
        var body = await CallbackBody.ReadAsync(context.Request, aborted);
        if (body is null)
        {
            return new ContentResult { StatusCode = StatusCodes.Status413PayloadTooLarge, Content = "Body too large.", ContentType = CallbackResult.PlainText };
        }

        return (await receive(body, arrivedAt, aborted)).ToActionResult();
    }
}
