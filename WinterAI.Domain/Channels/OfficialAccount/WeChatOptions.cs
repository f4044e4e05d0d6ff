using System.ComponentModel.DataAnnotations;

namespace WinterAI.Domain.Channels.OfficialAccount;

/// <summary>The <c>WeChat</c> configuration section: one official account. The channel is off while <see cref="Token"/> is empty.</summary>
public sealed class WeChatOptions
{
    public const string Section = "WeChat";

    /// <summary>The account's AppID. Required for safe/compatible mode (the decrypted ReceiveId must equal it) and for pushing.</summary>
    public string AppId { get; set; } = "";

    /// <summary>The AppSecret, used only to obtain access tokens (customer-service push, menu publishing).</summary>
    public string AppSecret { get; set; } = "";

    /// <summary>The Token entered on the platform's server configuration page. Empty: the channel is off and /wechat answers 404.</summary>
    public string Token { get; set; } = "";

    /// <summary>43 base64 characters. Empty: only plaintext mode is accepted.</summary>
    public string EncodingAESKey { get; set; } = "";

    /// <summary>The key in use before the last rotation; still accepted so that rotating keys loses no message.</summary>
    public string PreviousEncodingAESKey { get; set; } = "";

    /// <summary>
    /// <c>plain</c> or <c>encrypted</c> (WeChat's compatible and safe modes). Empty: <c>encrypted</c> when
    /// <see cref="EncodingAESKey"/> is set, else <c>plain</c>. A callback in the other mode is refused with 401, so a
    /// signed callback URL seen in a proxy log cannot be replayed as a plaintext message with a body of one's choosing.
    /// </summary>
    public string Mode { get; set; } = "";

    /// <summary>Platform API base. Default <c>https://api.weixin.qq.com</c>.</summary>
    public string ApiBaseUrl { get; set; } = "https://api.weixin.qq.com";

    /// <summary>
    /// True for accounts with the customer-service message permission (verified service accounts): the last
    /// delivery replies <c>success</c> and the answer is pushed when ready. Default false.
    /// </summary>
    public bool CustomerServicePush { get; set; }

    /// <summary>How long a delivery waits for the answer, measured from its arrival. Default 4.5 s (WeChat gives up at 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.05", "00:00:04.9")]
    public TimeSpan ReplyWindow { get; set; } = TimeSpan.FromSeconds(4.5);

    /// <summary>Requests whose timestamp is further than this from our clock are refused. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many times WeChat delivers one message before giving up. Default 3 (WeChat's documented behaviour).</summary>
    [Range(1, 10)]
    public int Deliveries { get; set; } = 3;

    /// <summary>
    /// True: a delivery before the last that has no answer yet sends nothing, so WeChat retries and the answer
    /// can still arrive passively on a later delivery. False: every delivery without an answer replies the wait
    /// message at once. Default true.
    /// </summary>
    public bool HoldForRetry { get; set; } = true;

    /// <summary>
    /// Upper bound on a held delivery: normally WeChat drops the connection at 5 s first; this only ends holds
    /// behind proxies that keep the connection open. Default 6 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.05", "00:01:00")]
    public TimeSpan HoldLimit { get; set; } = TimeSpan.FromSeconds(6);

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Token);

    public bool HasEncryption => !string.IsNullOrWhiteSpace(EncodingAESKey);

    /// <summary>
    /// <see cref="Mode"/> with its default applied. A value the validator refuses reads as the default here: this
    /// property is read (by the data-annotation validation) before the validator has had its say.
    /// </summary>
    public WeChatCallbackMode CallbackMode =>
        Enum.TryParse<WeChatCallbackMode>(Mode.Trim(), ignoreCase: true, out var mode) && Enum.IsDefined(mode)
            ? mode
            : HasEncryption ? WeChatCallbackMode.Encrypted : WeChatCallbackMode.Plain;

    /// <summary>The account id used in store keys and Dify user ids.</summary>
    public string AccountId => string.IsNullOrWhiteSpace(AppId) ? "mp" : AppId;
}
