using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RestSharp;
using WinterAI.Domain.Protocol.Platform;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeComRobot;

/// <summary>
/// Sends an answer whose stream was finished before it was ready to the message's <c>response_url</c> (a markdown
/// message, once). When response_url refuses it (an HTTP error, or a body whose errcode is not 0: the URL is single-use
/// and lapses after about an hour) or the message had none, a single chat's answer goes through the WeCom app's
/// message/send instead (<see cref="IWorkUserMessenger"/>, <see cref="WeComRobotOptions.FallbackToWeComApp"/>): the
/// robot's <c>from.userid</c> is a member the corp's app can message. A group's cannot (the app cannot post into the
/// robot's group). A response_url call that got no answer (a timeout) counts as refused: an answer shown twice is
/// better than one lost. Whatever does not go out stays available through <c>1</c>. The turn runner's pushed claim keeps this
/// to one call per message; the robot has no typing indicator, the stream itself shows progress. In long-connection mode
/// there is nothing to do here: every stream is owed to its chat until delivered whole, and the connection's holder
/// sends the answer as a proactive message (<see cref="LongConnection.RobotOwedAnswers"/>).
/// </summary>
public sealed class RobotPusher(
    RobotStreams streams,
    [FromKeyedServices(RobotPusher.RestClientKey)] RestClient rest,
    IOptionsMonitor<WeComRobotOptions> options,
    ILogger<RobotPusher> log,
    IWorkUserMessenger? messenger = null) : IAnswerPusher
{
    public const string RestClientKey = "wecom-robot-response-url";

    /// <summary>How long one response_url call may take.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most messages one answer takes through the WeCom app (WeCom drops more than 30 a minute from one app to one
    /// member); the last of them then ends with <see cref="AppMorePointer"/>.
    /// </summary>
    public const int MaxAppMessages = 10;

    /// <summary>Ends the last app message of an answer that needs more than <see cref="MaxAppMessages"/>: <c>1</c> is the robot's.</summary>
    public const string AppMorePointer = "\n\n……（回答较长，在机器人的会话中发送 1 查看全文）";

    public async Task<bool> PushAsync(Follower follower, TurnRecord turn, CancellationToken ct)
    {
        if (options.CurrentValue.IsWebSocket)
        {
            return true;
        }

        var markdown = RobotStreams.Whole(turn);
        var refusal = await ToResponseUrlAsync(follower, turn, markdown, ct);
        if (refusal is null)
        {
            log.LogInformation("A late robot answer went to response_url.");
            return true;
        }

        if (!options.CurrentValue.FallbackToWeComApp)
        {
            log.LogWarning("A late robot answer did not reach response_url ({Refusal}) and WeComRobot:FallbackToWeComApp is off; it stays available through 1.", refusal);
            return false;
        }

        if (messenger is not { IsAvailable: true } app)
        {
            log.LogWarning("A late robot answer did not reach response_url ({Refusal}) and no WeCom app is configured to send it instead; it stays available through 1.", refusal);
            return false;
        }

        if (RobotInbound.IsGroup(follower))
        {
            log.LogWarning("A late robot answer in a group chat did not reach response_url ({Refusal}); the WeCom app cannot post into the group, so it stays available through 1.", refusal);
            return false;
        }

        return await ToAppAsync(app, follower, markdown, refusal, ct);
    }

    public Task TypingAsync(Follower follower, CancellationToken ct) => Task.CompletedTask;

    /// <returns>Null when response_url took the answer; otherwise why not, fit for the log (never the URL: it carries the message's credentials).</returns>
    private async Task<string?> ToResponseUrlAsync(Follower follower, TurnRecord turn, string markdown, CancellationToken ct)
    {
        if (await streams.ForMessageAsync(follower, turn.MessageKey, ct) is not { ResponseUrl: { Length: > 0 } url }
            || !Uri.TryCreate(url, UriKind.Absolute, out var target)
            || target.Scheme is not ("https" or "http"))
        {
            return "the message has none";
        }

        var request = new RestRequest(target, Method.Post)
            .AddStringBody(RobotReplies.Markdown(RobotContent.Frame(markdown, finish: true)), DataFormat.Json);
        var response = await rest.ExecuteAsync(request, ct);
        if (!response.IsSuccessful)
        {
            return response.StatusCode == 0 ? $"not reached: {response.ErrorException?.GetType().Name ?? "no response"}" : $"HTTP {(int)response.StatusCode}";
        }

        return ErrCodeOf(response.Content) is { } errcode and not 0 ? $"errcode {errcode}" : null;
    }

    /// <summary>
    /// WeCom answers <c>{"errcode":0,"errmsg":"ok"}</c>, and a refusal (a used or expired URL) with another errcode
    /// under HTTP 200. A body without an errcode is taken as accepted: sending again could show the answer twice.
    /// </summary>
    private static int? ErrCodeOf(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errcode", out var errcode)
                && errcode.ValueKind == JsonValueKind.Number
                && errcode.TryGetInt32(out var value)
                ? value
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The whole answer to the member through the WeCom app, in as many messages as its limit needs (up to <see cref="MaxAppMessages"/>).</summary>
    private async Task<bool> ToAppAsync(IWorkUserMessenger app, Follower follower, string markdown, string refusal, CancellationToken ct)
    {
        var parts = AnswerPages.Split(markdown, app.MaxMarkdownBytes, (number, count) => count > MaxAppMessages && number == MaxAppMessages ? AppMorePointer : "");
        var sending = parts.Take(MaxAppMessages).ToList();
        for (var i = 0; i < sending.Count; i++)
        {
            try
            {
                await app.SendMarkdownAsync(follower.Id, sending[i].Text, ct);
            }
            catch (PlatformApiException ex)
            {
                log.LogWarning(
                    "A late robot answer did not reach response_url ({Refusal}) and the WeCom app's message/send refused part {Part} of {Parts} (errcode {ErrCode}); it stays available through 1.",
                    refusal,
                    i + 1,
                    sending.Count,
                    ex.ErrorCode);
                return false;
            }
        }

        log.LogInformation("A late robot answer did not reach response_url ({Refusal}); sent it through the WeCom app's message/send in {Parts} message(s).", refusal, sending.Count);
        return true;
    }
}
