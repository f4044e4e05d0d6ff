using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using WinterAI.Domain.WeChat;

namespace WinterAI.Web.Infrastructure;

/// <summary>
/// The one place an unexpected exception becomes a response. Platform callbacks get "success" (WeChat shows
/// nothing rather than "该公众号暂时无法提供服务", and the follower can still send 1) or, for WeCom, an empty 200;
/// an abandoned request gets nothing; everything else a ProblemDetails without a stack trace.
/// </summary>
public sealed class UnhandledExceptionHandler(ILogger<UnhandledExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return true;
        }

        log.LogError(exception, "Unhandled exception on {Path}", context.Request.Path);
        if (context.Request.Path.StartsWithSegments("/wechat") || context.Request.Path.StartsWithSegments("/wecom"))
        {
            // WeCom reads a non-empty body as an encrypted passive reply; an empty one just means "received".
            var reply = context.Request.Path.StartsWithSegments("/wecom") ? CallbackResult.Empty : CallbackResult.Success;
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = CallbackResult.PlainText;
            await context.Response.WriteAsync(reply.Body, ct);
            return true;
        }

        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        await context.Response.WriteAsJsonAsync(
            new ProblemDetails { Status = 500, Title = "Unexpected error", Detail = "The error was logged with this request's id.", Instance = context.TraceIdentifier },
            ct);
        return true;
    }
}
