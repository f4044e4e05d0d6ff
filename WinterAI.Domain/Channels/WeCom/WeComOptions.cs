using System.ComponentModel.DataAnnotations;

namespace WinterAI.Domain.Channels.WeCom;

/// <summary>
/// The <c>WeCom</c> configuration section: one self-built app (自建应用). The channel is off while <see cref="Token"/> is empty.
/// </summary>
public sealed class WeComOptions
{
    public const string Section = "WeCom";

    /// <summary>The enterprise's CorpID (我的企业 → 企业信息). Every decrypted callback must be addressed to it.</summary>
    public string CorpId { get; set; } = "";

    /// <summary>The app's AgentId (numeric). Callbacks for another app of the enterprise are refused.</summary>
    public string AgentId { get; set; } = "";

    /// <summary>The app's Secret, used only to obtain access tokens (gettoken).</summary>
    public string Secret { get; set; } = "";

    /// <summary>The Token entered under 接收消息 → 设置API接收. Empty: the channel is off and /wecom answers 404.</summary>
    public string Token { get; set; } = "";

    /// <summary>The EncodingAESKey from the same page: 43 base64 characters. WeCom always encrypts, so it is required.</summary>
    public string EncodingAESKey { get; set; } = "";

    /// <summary>WeCom API base. Default <c>https://qyapi.weixin.qq.com</c>.</summary>
    public string ApiBaseUrl { get; set; } = "https://qyapi.weixin.qq.com";

    /// <summary>How messages go out: <c>text</c> (default) or <c>markdown</c>.</summary>
    public WeComMessageType MessageType { get; set; } = WeComMessageType.Text;

    /// <summary>Callbacks whose timestamp is further than this from our clock are refused. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Token);

    /// <summary>
    /// The account id used in store keys and Dify user ids: one per app, and never equal to an official account's
    /// AppID, so both channels can run side by side without sharing conversations or tokens.
    /// </summary>
    public string AccountId => $"wecom-{CorpId}-{AgentId}";
}
