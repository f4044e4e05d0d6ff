using Microsoft.Extensions.Options;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeComRobot;

/// <summary>The WeCom intelligent robot as a channel: the callback answers at once with a stream that WeCom polls.</summary>
public sealed class WeComRobotChannel(IOptionsMonitor<WeComRobotOptions> options, RobotPusher pusher, RobotMedia media) : IChannel
{
    public const string ChannelName = "wecom-robot";

    /// <summary>No delivery waits: a question is queued and its stream shows the answer; a command is answered at once.</summary>
    public static readonly DeliveryPolicy StreamPolicy = new(TimeSpan.Zero, Deliveries: 1, HoldForRetry: false, CanPush: false);

    public string Name => ChannelName;

    public string Account => options.CurrentValue.AccountId;

    public bool IsEnabled => options.CurrentValue.IsEnabled;

    public DeliveryPolicy Policy => StreamPolicy;

    /// <summary>The robot renders Markdown.</summary>
    public bool KeepsMarkdown => true;

    /// <summary>Only for answers whose stream was finished before they were ready (<see cref="RobotStreams"/>).</summary>
    public IAnswerPusher? Pusher => pusher;

    /// <summary>Pictures members send, downloaded and decrypted when their turn runs.</summary>
    public IMediaSource? Media => media;

    public string CallbackPath => "/wecom-robot";

    public string FailureReply => "";
}
