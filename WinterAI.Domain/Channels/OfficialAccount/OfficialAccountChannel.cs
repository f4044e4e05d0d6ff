using Microsoft.Extensions.Options;
using WinterAI.Domain.Protocol.Callbacks;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.OfficialAccount;

/// <summary>The official account as a channel: passive replies within WeChat's 5 s and its retries, and customer-service push where the account has it.</summary>
public sealed class OfficialAccountChannel(IOptionsMonitor<WeChatOptions> options, CustomerServicePusher pusher, OfficialAccountMedia media, OfficialAccountVoice voice) : IChannel
{
    public const string ChannelName = "official-account";

    public string Name => ChannelName;

    public string Account => options.CurrentValue.AccountId;

    public bool IsEnabled => options.CurrentValue.IsEnabled;

    public DeliveryPolicy Policy
    {
        get
        {
            var o = options.CurrentValue;
            return new DeliveryPolicy(o.ReplyWindow, o.Deliveries, o.HoldForRetry, o.CustomerServicePush);
        }
    }

    public bool KeepsMarkdown => false;

    public IAnswerPusher? Pusher => options.CurrentValue.CustomerServicePush ? pusher : null;

    /// <summary>Pictures followers send: media/get with the AppSecret, else the PicUrl on WeChat's hosts.</summary>
    public IMediaSource? Media => media;

    /// <summary>Spoken questions may be answered with a passive voice reply (<c>Dify:VoiceReplies</c>).</summary>
    public IVoiceOut? VoiceOut => voice;

    public string CallbackPath => "/wechat";

    /// <summary>WeChat shows nothing for "success" rather than "该公众号暂时无法提供服务", and the follower can still send 1.</summary>
    public string FailureReply => CallbackResult.Success.Body;
}
