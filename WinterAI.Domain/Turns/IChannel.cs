namespace WinterAI.Domain.Turns;

/// <summary>
/// One way followers reach WinterAI on one account (the official account, a WeCom app): everything the turn engine
/// and the delivery engine need to know about where a follower's answer goes. Resolved once from the follower's
/// account through <see cref="ChannelDirectory"/>; each channel folder registers its own.
/// </summary>
public interface IChannel
{
    /// <summary>What the channel is, for logs and metrics: <c>official-account</c>, <c>wecom</c>.</summary>
    string Name { get; }

    /// <summary>The account id in store keys and Dify user ids.</summary>
    string Account { get; }

    /// <summary>False while the channel's keys are absent: it owns no account then.</summary>
    bool IsEnabled { get; }

    /// <summary>How its deliveries are answered: reply window, retries, holding, pushing.</summary>
    DeliveryPolicy Policy { get; }

    /// <summary>
    /// True when the platform renders Markdown itself (WeCom markdown messages): answers are kept as Dify wrote them
    /// instead of being rendered to plain text, and <c>1</c> pages through the same text.
    /// </summary>
    bool KeepsMarkdown { get; }

    /// <summary>How answers reach the follower outside the reply (and the typing indicator); null when the channel cannot push.</summary>
    IAnswerPusher? Pusher { get; }

    /// <summary>How files followers send are fetched again when their turn runs; null when the channel takes none.</summary>
    IMediaSource? Media => null;

    /// <summary>How an answer is spoken back to a spoken question (a passive voice reply); null when the channel cannot.</summary>
    IVoiceOut? VoiceOut => null;

    /// <summary>The callback route, e.g. <c>/wechat</c>.</summary>
    string CallbackPath { get; }

    /// <summary>What the callback answers when something unexpected failed: WeChat shows nothing for <c>success</c>, WeCom for an empty body.</summary>
    string FailureReply { get; }
}
