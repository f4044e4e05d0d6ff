using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RestSharp;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeComRobot;

/// <summary>
/// Sends an answer whose stream was finished before it was ready to the message's <c>response_url</c> (a markdown
/// message, once). The robot has no typing indicator: the stream itself shows progress. In long-connection mode there is
/// nothing to do here: every stream is owed to its chat until delivered whole, and the connection's holder sends the
/// answer as a proactive message (<see cref="LongConnection.RobotOwedAnswers"/>).
/// </summary>
public sealed class RobotPusher(
    RobotStreams streams,
    [FromKeyedServices(RobotPusher.RestClientKey)] RestClient rest,
    IOptionsMonitor<WeComRobotOptions> options,
    ILogger<RobotPusher> log) : IAnswerPusher
{
    public const string RestClientKey = "wecom-robot-response-url";

    /// <summary>How long one response_url call may take.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    public async Task<bool> PushAsync(Follower follower, TurnRecord turn, CancellationToken ct)
    {
        if (options.CurrentValue.IsWebSocket)
        {
            return true;
        }

        if (await streams.ForMessageAsync(follower, turn.MessageKey, ct) is not { ResponseUrl: { Length: > 0 } url }
            || !Uri.TryCreate(url, UriKind.Absolute, out var target)
            || target.Scheme is not ("https" or "http"))
        {
            log.LogWarning("A late robot answer has no response_url to go to; it stays available through 1.");
            return false;
        }

        var request = new RestRequest(target, Method.Post)
            .AddStringBody(RobotReplies.Markdown(RobotContent.Frame(RobotStreams.Whole(turn), finish: true)), DataFormat.Json);
        var response = await rest.ExecuteAsync(request, ct);
        if (response.IsSuccessful)
        {
            return true;
        }

        // Never the URL itself: it carries the message's credentials.
        log.LogWarning("A late robot answer did not reach response_url (HTTP {Status}); it stays available through 1.", (int)response.StatusCode);
        return false;
    }

    public Task TypingAsync(Follower follower, CancellationToken ct) => Task.CompletedTask;
}
