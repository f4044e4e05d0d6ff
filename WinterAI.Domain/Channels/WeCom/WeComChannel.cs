using Microsoft.Extensions.Options;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeCom;

/// <summary>The WeCom self-built app as a channel: the callback answers at once and every answer is pushed through message/send.</summary>
public sealed class WeComChannel(IOptionsMonitor<WeComOptions> options, WeComPusher pusher, WeComMedia media) : IChannel
{
    public const string ChannelName = "wecom";

    /// <summary>
    /// WeCom can always push, so no delivery waits: a question is queued and answered by push, and <c>1</c> looks for an
    /// answer once instead of waiting for one that will be pushed anyway.
    /// </summary>
    public static readonly DeliveryPolicy PushPolicy = new(TimeSpan.Zero, Deliveries: 1, HoldForRetry: false, CanPush: true, PushAlways: true);

    public string Name => ChannelName;

    public string Account => options.CurrentValue.AccountId;

    public bool IsEnabled => options.CurrentValue.IsEnabled;

    public DeliveryPolicy Policy => PushPolicy;

    public bool KeepsMarkdown => options.CurrentValue.MessageType == WeComMessageType.Markdown;

    public IAnswerPusher? Pusher => pusher;

    /// <summary>Pictures members send, through WeCom's media/get.</summary>
    public IMediaSource? Media => media;

    public string CallbackPath => "/wecom";

    /// <summary>WeCom reads a non-empty body as an encrypted passive reply; an empty one just means "received".</summary>
    public string FailureReply => "";
}
