using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Channels.ChatPage;
using WinterAI.Domain.Channels.OfficialAccount.Menus;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Protocol.Callbacks;
using WinterAI.Domain.Protocol.Platform;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;
using WinterAI.Web.ChatPage;

namespace WinterAI.Web.Infrastructure;

/// <summary>
/// The one place an exception becomes a response. Platform callbacks get "success" (WeChat shows nothing rather
/// than "该公众号暂时无法提供服务", and the follower can still send 1) or, for WeCom, an empty 200; an abandoned
/// request gets nothing; the chat page's API a text the page shows; everything else a ProblemDetails — known
/// failures with their own status and a useful detail, never a stack trace.
/// </summary>
public sealed class UnhandledExceptionHandler(ChannelDirectory channels, ILogger<UnhandledExceptionHandler> log, IOptionsMonitor<MessagesOptions> messages) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return true;
        }

        if (exception is BadHttpRequestException bad)
        {
            // The client's fault (a body too slow, too large or cut short), wherever it was read: one line, no stack trace.
            log.LogWarning("{Path}: refused a bad request ({Status}): {Reason}", context.Request.Path, bad.StatusCode, bad.Message);
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = bad.StatusCode;
                context.Response.ContentType = CallbackResult.PlainText;
                await context.Response.WriteAsync("Bad request.", ct);
            }

            return true;
        }

        if (channels.All.FirstOrDefault(c => context.Request.Path.StartsWithSegments(c.CallbackPath)) is { } channel)
        {
            log.LogError(exception, "Unhandled exception on a platform callback ({Channel}); answered as received.", channel.Name);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = CallbackResult.PlainText;
            await context.Response.WriteAsync(channel.FailureReply, ct);
            return true;
        }

        if (exception is StoreUnavailableException unavailable && context.Request.Path.StartsWithSegments(ChatLinks.PagePath))
        {
            log.LogWarning("Store unavailable on the chat page: {Reason}", unavailable.Message);
            ChatResponses.Secure(context.Response, page: false);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = ChatResponses.JsonContentType;
            await context.Response.WriteAsync(ChatResponses.Json(new ChatMessage(messages.CurrentValue.StoreUnavailable, "unavailable")), ct);
            return true;
        }

        var problem = Describe(exception);
        if (problem.Status == StatusCodes.Status500InternalServerError)
        {
            log.LogError(exception, "Unhandled exception on {Path}", context.Request.Path);
        }
        else
        {
            log.LogWarning("{Path} failed: {Title}", context.Request.Path, problem.Title);
        }

        problem.Instance = context.Request.Path;
        problem.Extensions["requestId"] = context.TraceIdentifier;
        context.Response.StatusCode = problem.Status!.Value;
        await context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json", cancellationToken: ct);
        return true;
    }

    private static ProblemDetails Describe(Exception exception) => exception switch
    {
        MenuValidationException invalid => new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The menu does not meet WeChat's limits",
            Detail = string.Join(" ", invalid.Problems),
            Extensions = { ["problems"] = invalid.Problems },
        },
        PlatformApiException refused => new ProblemDetails
        {
            Status = StatusCodes.Status502BadGateway,
            Title = "The WeChat API refused the call",
            Detail = refused.Message,
            Extensions = { ["errcode"] = refused.ErrorCode },
        },
        WeChatProtocolException malformed => new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "Malformed message", Detail = malformed.Message },
        StoreUnavailableException => new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = "The store (Redis) is unreachable" },
        DifyException dify => new ProblemDetails { Status = StatusCodes.Status502BadGateway, Title = "Dify failed", Detail = dify.Failure.ToString() },
        _ => new ProblemDetails { Status = StatusCodes.Status500InternalServerError, Title = "Unexpected error", Detail = "The error was logged with this request's id." },
    };
}
