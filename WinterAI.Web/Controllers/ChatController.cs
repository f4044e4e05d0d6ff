using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Channels.ChatPage;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;
using WinterAI.Web.ChatPage;

namespace WinterAI.Web.Controllers;

/// <summary>
/// The H5 chat page. Every call carries the signed link token (the page's query string, then the
/// <see cref="TokenHeader"/> header on each API call); the follower comes from inside the token and nowhere else.
/// A store outage on an API call is answered by <see cref="Infrastructure.UnhandledExceptionHandler"/>.
/// </summary>
[Route("chat")]
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ChatController(
    ChatLinks links,
    ChatLinkSigner signer,
    ChatService chat,
    ChatPictures pictures,
    ChatAssets assets,
    IOptionsMonitor<MessagesOptions> messages,
    TimeProvider time,
    ILogger<ChatController> log) : ControllerBase
{
    public const string TokenHeader = "X-Chat-Token";

    /// <summary>Comfortably under the 60 s after which common proxies drop a silent upstream.</summary>
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    [HttpGet("")]
    public IActionResult Page([FromQuery(Name = ChatLinks.TokenParameter)] string? token)
    {
        if (!links.IsEnabled)
        {
            return NotFound();
        }

        ChatResponses.Secure(Response, page: true);
        var check = signer.Verify(token);
        if (check.Status != ChatLinkStatus.Valid)
        {
            log.LogInformation("Chat page refused a link: {Status}", check.Status);
            return Html(assets.ExpiredPage, StatusCodes.Status403Forbidden);
        }

        return Html(assets.ChatPage, StatusCodes.Status200OK);
    }

    [HttpGet("assets/{name}")]
    public IActionResult Asset([FromRoute] string name)
    {
        if (!links.IsEnabled || assets.Find(name) is not { } asset)
        {
            return NotFound();
        }

        Response.Headers.XContentTypeOptions = "nosniff";
        Response.Headers.CacheControl = "public, max-age=86400";
        return File(asset.Content, asset.ContentType);
    }

    [HttpGet("history")]
    public async Task<IActionResult> History(CancellationToken ct)
    {
        if (!TryAuthenticate(out var check, out var refused))
        {
            return refused;
        }

        var turns = await chat.HistoryAsync(check.Follower!, ct);
        var body = new ChatHistoryResponse(turns, check.ExpiresAt!.Value.ToUnixTimeMilliseconds(), ChatService.MaxQuestionLength);
        return Json(JsonSerializer.Serialize(body, ChatJsonContext.Default.ChatHistoryResponse));
    }

    /// <summary>
    /// A picture of an answer, for an <c>img</c> on the page: the token comes in the query (an <c>img</c> sends no
    /// headers), as on the page's own address. 404 for an unknown turn or picture, or one Dify no longer serves.
    /// </summary>
    [HttpGet("picture")]
    public async Task<IActionResult> Picture(
        [FromQuery(Name = ChatLinks.TokenParameter)] string? token,
        [FromQuery(Name = "id")] string? turnId,
        [FromQuery(Name = "n")] int index,
        CancellationToken ct)
    {
        if (!links.IsEnabled)
        {
            return NotFound();
        }

        ChatResponses.Secure(Response, page: false);
        var check = signer.Verify(token);
        if (check.Status != ChatLinkStatus.Valid)
        {
            log.LogInformation("Chat picture refused a link: {Status}", check.Status);
            return StatusCode(StatusCodes.Status401Unauthorized);
        }

        if (string.IsNullOrEmpty(turnId) || await chat.PictureAsync(check.Follower!, turnId, index, ct) is not { } picture)
        {
            return NotFound();
        }

        return File(picture.Content, picture.ContentType);
    }

    [HttpPost("ask")]
    [RequestSizeLimit(32 * 1024)]
    public async Task<IActionResult> Ask()
    {
        if (!TryAuthenticate(out var check, out var refused))
        {
            return refused;
        }

        // Read here rather than bound by MVC, so that nothing about the body is looked at before the token is.
        var question = await ReadQuestionAsync();
        if (question?.Question is null)
        {
            return Json(ChatResponses.Json(new ChatMessage(messages.CurrentValue.QuestionRejected, "invalid")), StatusCodes.Status400BadRequest);
        }

        var follower = check.Follower!;
        var aborted = HttpContext.RequestAborted;
        Response.StatusCode = StatusCodes.Status200OK;
        Response.ContentType = "text/event-stream; charset=utf-8";
        Response.Headers.CacheControl = "no-cache, no-transform";
        // nginx buffers proxied responses unless told otherwise, which would turn the stream into one late burst.
        Response.Headers["X-Accel-Buffering"] = "no";
        HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await Response.StartAsync(aborted);

        await using var events = new SseWriter(Response.Body, time, Heartbeat, aborted);
        try
        {
            await chat.AskAsync(follower, question.Question, question.Pictures, (e, _) =>
            {
                var (name, data) = ChatEventWire.Encode(e);
                return new ValueTask(events.SendAsync(name, data));
            }, aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The page went away before its question started; nothing was recorded.
        }

        return new EmptyResult();
    }

    /// <summary>
    /// A picture for the next question (multipart <c>file</c>): uploaded to Dify at once; answers its id, or 400 with
    /// the text that says why not (the app takes no pictures, too large, not a picture).
    /// </summary>
    [HttpPost("upload")]
    [RequestSizeLimit(MaxUploadBytes)]
    public async Task<IActionResult> Upload(CancellationToken ct)
    {
        if (!TryAuthenticate(out var check, out var refused))
        {
            return refused;
        }

        var texts = messages.CurrentValue;
        byte[] content;
        try
        {
            var form = await Request.ReadFormAsync(ct);
            if (form.Files.GetFile("file") is not { Length: > 0 } file)
            {
                return Json(ChatResponses.Json(new ChatMessage(texts.ImageUnavailable, "invalid")), StatusCodes.Status400BadRequest);
            }

            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            content = buffer.ToArray();
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return Json(ChatResponses.Json(new ChatMessage(texts.ImageTooLarge, "invalid")), StatusCodes.Status400BadRequest);
        }

        try
        {
            var (id, refusal) = await pictures.UploadAsync(check.Follower!, content, ct);
            return id is not null
                ? Json(JsonSerializer.Serialize(new ChatUpload(id), ChatJsonContext.Default.ChatUpload))
                : Json(ChatResponses.Json(new ChatMessage(refusal!, "refused")), StatusCodes.Status400BadRequest);
        }
        catch (DifyException ex)
        {
            log.LogWarning("Dify refused a page picture: {Failure} (HTTP {Status}, code {Code})", ex.Failure, ex.HttpStatus, ex.Code);
            return Json(ChatResponses.Json(new ChatMessage(texts.ForFailure(ex.Failure), "unavailable")), StatusCodes.Status502BadGateway);
        }
        catch (StoreUnavailableException)
        {
            return Json(ChatResponses.Json(new ChatMessage(texts.StoreUnavailable, "unavailable")), StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>The largest picture the page uploads (its form included); Dify's own limit is checked after.</summary>
    public const long MaxUploadBytes = 16L * 1024 * 1024;

    [HttpPost("stop")]
    public async Task<IActionResult> Stop(CancellationToken ct)
    {
        if (!TryAuthenticate(out var check, out var refused))
        {
            return refused;
        }

        await chat.StopAsync(check.Follower!, ct);
        return NoContent();
    }

    /// <summary>Like / dislike under an answer: 200 with the acknowledgement; 404 when there is nothing to rate; 503 when Dify could not take it.</summary>
    [HttpPost("feedback")]
    [RequestSizeLimit(4 * 1024)]
    public async Task<IActionResult> Feedback()
    {
        if (!TryAuthenticate(out var check, out var refused))
        {
            return refused;
        }

        var body = await ReadAsync(ChatJsonContext.Default.ChatFeedback);
        if (body is not { Id: { Length: > 0 and <= 200 } id, Rating: AnswerFeedback.Like or AnswerFeedback.Dislike } feedback)
        {
            return Json(ChatResponses.Json(new ChatMessage(messages.CurrentValue.NothingToRate, "invalid")), StatusCodes.Status400BadRequest);
        }

        var (result, text) = await chat.RateAsync(check.Follower!, id, feedback.Rating, HttpContext.RequestAborted);
        return result switch
        {
            FeedbackResult.Sent => Json(ChatResponses.Json(new ChatMessage(text))),
            FeedbackResult.NothingToRate => Json(ChatResponses.Json(new ChatMessage(text, "not_found")), StatusCodes.Status404NotFound),
            _ => Json(ChatResponses.Json(new ChatMessage(text, "unavailable")), StatusCodes.Status503ServiceUnavailable),
        };
    }

    [HttpPost("clear")]
    public async Task<IActionResult> Clear(CancellationToken ct)
    {
        if (!TryAuthenticate(out var check, out var refused))
        {
            return refused;
        }

        var text = await chat.ClearAsync(check.Follower!, ct);
        return Json(ChatResponses.Json(new ChatMessage(text)));
    }

    /// <summary>404 while the page is off; 401 for a missing, forged or expired token (the page then shows the expiry notice).</summary>
    private bool TryAuthenticate(out ChatLinkCheck check, out IActionResult refused)
    {
        check = ChatLinkCheck.Invalid;
        refused = NotFound();
        if (!links.IsEnabled)
        {
            return false;
        }

        ChatResponses.Secure(Response, page: false);
        check = signer.Verify(Request.Headers[TokenHeader].FirstOrDefault());
        if (check.Status == ChatLinkStatus.Valid)
        {
            return true;
        }

        log.LogInformation("Chat API refused a token: {Status}", check.Status);
        refused = Json(ChatResponses.Json(new ChatMessage(messages.CurrentValue.ChatLinkExpired, "expired")), StatusCodes.Status401Unauthorized);
        return false;
    }

    private Task<ChatQuestion?> ReadQuestionAsync() => ReadAsync(ChatJsonContext.Default.ChatQuestion);

    private async Task<T?> ReadAsync<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(Request.Body, type, HttpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is JsonException or BadHttpRequestException)
        {
            return null;
        }
    }

    private static ContentResult Json(string json, int status = StatusCodes.Status200OK) =>
        new() { Content = json, ContentType = ChatResponses.JsonContentType, StatusCode = status };

    private static ContentResult Html(string content, int status) =>
        new() { Content = content, ContentType = "text/html; charset=utf-8", StatusCode = status };
}
