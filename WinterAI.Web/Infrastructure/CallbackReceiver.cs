using System.Text;
using Microsoft.AspNetCore.Mvc;
using WinterAI.Domain.Protocol.Callbacks;

namespace WinterAI.Web.Infrastructure;

/// <summary>
/// What every platform callback POST does around its endpoint: note the arrival, let the endpoint refuse the query
/// before a byte of the body is read (channel off, stale, unsigned, wrong mode), then read the body with a size limit
/// (413) and a deadline (408), so nobody unauthenticated can make the service buffer or wait for a body.
/// </summary>
public sealed class CallbackReceiver(TimeProvider time, ILogger<CallbackReceiver> log)
{
    /// <summary>Real WeChat/WeCom callbacks are a few KB; anything above this is refused with 413.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>WeChat and WeCom send the whole body at once; one that takes longer than this to arrive is not theirs.</summary>
    public static readonly TimeSpan BodyReadTimeout = TimeSpan.FromSeconds(10);

    public async Task<IActionResult> ReceiveAsync(
        HttpContext context,
        Func<CallbackResult?> admit,
        Func<string, DateTimeOffset, CancellationToken, Task<CallbackResult>> receive)
    {
        var arrivedAt = time.GetUtcNow();
        if (admit() is { } refused)
        {
            return Unread(context, refused);
        }

        var aborted = context.RequestAborted;
        var (body, problem) = await ReadBodyAsync(context.Request, aborted);
        return body is null ? Unread(context, problem!) : (await receive(body, arrivedAt, aborted)).ToActionResult();
    }

    /// <summary>
    /// A refusal whose body was not (wholly) read: the connection closes after the response, so Kestrel neither reads
    /// the rest of an unauthenticated body to keep the connection alive nor tries to after a read that was given up.
    /// </summary>
    private static IActionResult Unread(HttpContext context, CallbackResult refusal)
    {
        context.Response.Headers.Connection = "close";
        return refusal.ToActionResult();
    }

    private async Task<(string? Body, CallbackResult? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken aborted)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        // The deadline cancels the pending read rather than its token: a read ended by its token leaves Kestrel's body
        // reader marked as still reading, and Kestrel then logs an error when it drains the rest of the body.
        var reader = request.BodyReader;
        using var deadline = new CancellationTokenSource(BodyReadTimeout, time);
        await using var cancelRead = deadline.Token.Register(reader.CancelPendingRead);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(aborted);
                if (result.IsCanceled)
                {
                    reader.AdvanceTo(result.Buffer.Start);
                    log.LogWarning("Refused a callback whose body did not arrive within {Timeout}.", BodyReadTimeout);
                    return (null, new CallbackResult(StatusCodes.Status408RequestTimeout, "The body arrived too slowly."));
                }

                if (result.Buffer.Length > MaxBodyBytes)
                {
                    reader.AdvanceTo(result.Buffer.End);
                    return (null, TooLarge());
                }

                if (result.IsCompleted)
                {
                    var body = Encoding.UTF8.GetString(result.Buffer);
                    reader.AdvanceTo(result.Buffer.End);
                    return (body, null);
                }

                // Nothing consumed, everything examined: the next read returns once more has arrived.
                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own limits: a body below the minimum data rate (408), over the request size limit (413), or cut short.
            log.LogWarning("Refused a callback body: {Reason}", ex.Message);
            return (null, new CallbackResult(ex.StatusCode, "The body could not be read."));
        }
    }

    private CallbackResult TooLarge()
    {
        log.LogWarning("Refused a callback body larger than {Limit} bytes.", MaxBodyBytes);
        return new CallbackResult(StatusCodes.Status413PayloadTooLarge, "Body too large.");
    }
}
