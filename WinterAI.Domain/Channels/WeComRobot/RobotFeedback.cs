using Microsoft.Extensions.Logging;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeComRobot;

/// <summary>Like / dislike on a streamed answer, in either mode: passed to Dify for the message the stream showed.</summary>
public sealed class RobotFeedback(RobotStreams streams, TurnStore turns, IDifyClient dify, ILogger<RobotFeedback> log)
{
    public async Task SendAsync(RobotMessage message, WeComRobotOptions o, CancellationToken ct)
    {
        if (message.FeedbackStreamId is not { } id
            || await streams.FindAsync(o.AccountId, id, ct) is not { } stream
            || await turns.GetAsync(stream.Follower, stream.MessageKey, ct) is not { DifyMessageId: { } difyMessage })
        {
            log.LogInformation("Robot feedback for an answer this deployment does not know; ignored.");
            return;
        }

        var rating = message.FeedbackType switch
        {
            1 => "like",
            2 => "dislike",
            _ => null,
        };
        try
        {
            await dify.FeedbackAsync(difyMessage, rating, stream.Follower.DifyUser, ct);
        }
        catch (DifyException ex)
        {
            log.LogWarning("Dify did not take the robot feedback: {Failure}", ex.Failure);
        }
    }
}
