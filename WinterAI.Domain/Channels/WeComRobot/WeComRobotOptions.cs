using System.ComponentModel.DataAnnotations;

namespace WinterAI.Domain.Channels.WeComRobot;

/// <summary>
/// The <c>WeComRobot</c> configuration section: one WeCom intelligent robot (智能机器人) in API mode. The channel is off
/// while <see cref="Token"/> is empty.
/// </summary>
public sealed class WeComRobotOptions
{
    public const string Section = "WeComRobot";

    /// <summary>How WeCom reaches the robot: <c>webhook</c> (a receive URL, the default) or <c>websocket</c> (WinterAI keeps a long connection to WeCom).</summary>
    public string Mode { get; set; } = WebhookMode;

    public const string WebhookMode = "webhook";

    public const string WebSocketMode = "websocket";

    /// <summary>The Token entered with the robot's receive URL. Empty: the channel is off and /wecom-robot answers 404.</summary>
    public string Token { get; set; } = "";

    /// <summary>The EncodingAESKey from the same page: 43 base64 characters.</summary>
    public string EncodingAESKey { get; set; } = "";

    /// <summary>The robot's BotID (long-connection mode; also names the account when set).</summary>
    public string BotId { get; set; } = "";

    /// <summary>The robot's Secret (long-connection mode).</summary>
    public string Secret { get; set; } = "";

    /// <summary>The long-connection endpoint. Default <c>wss://openws.work.weixin.qq.com</c>.</summary>
    public string WebSocketUrl { get; set; } = "wss://openws.work.weixin.qq.com";

    /// <summary>
    /// How long a stream is refreshed before WinterAI finishes it itself (WeCom stops taking updates after about six
    /// minutes); the rest of a longer answer goes to the message's <c>response_url</c>. Default 5 min 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:06:00")]
    public TimeSpan StreamWindow { get; set; } = TimeSpan.FromSeconds(330);

    /// <summary>
    /// When <c>response_url</c> refuses a late answer (it is single-use and lapses after about an hour) or the message
    /// had none, send it in a single chat through the WeCom app's message/send instead — if the WeCom app
    /// (<c>WeCom:Token</c> …) is configured and belongs to the robot's corp. Default true; it does nothing without the app.
    /// </summary>
    public bool FallbackToWeComApp { get; set; } = true;

    /// <summary>Whose conversation a group message continues: <c>member</c> (each member in each group, the default) or <c>group</c> (one per group).</summary>
    public string GroupContext { get; set; } = MemberContext;

    public const string MemberContext = "member";

    public const string GroupWideContext = "group";

    /// <summary>Callbacks whose timestamp is further than this from our clock are refused. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a deployment waits before connecting again after WeCom said another connection took the bot. Default 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReconnectAfterTakeover { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>True in long-connection mode.</summary>
    public bool IsWebSocket => string.Equals(Mode.Trim(), WebSocketMode, StringComparison.OrdinalIgnoreCase);

    /// <summary>Webhook mode: a Token is set. Websocket mode: a BotId or Secret is set (the validator requires both), or a Token.</summary>
    public bool IsEnabled => !string.IsNullOrWhiteSpace(Token)
        || (IsWebSocket && (!string.IsNullOrWhiteSpace(BotId) || !string.IsNullOrWhiteSpace(Secret)));

    /// <summary>The receive URL answers only in webhook mode.</summary>
    public bool IsWebhookEnabled => IsEnabled && !IsWebSocket;

    /// <summary>The account id in store keys and Dify user ids.</summary>
    public string AccountId => string.IsNullOrWhiteSpace(BotId) ? "wecom-robot" : $"wecom-robot-{BotId.Trim()}";
}
