using WinterAI.Domain.Dify;

namespace WinterAI.Domain.Turns;

/// <summary>
/// The <c>Messages</c> configuration section: every text a follower can see that does not come from Dify.
/// Defaults are Chinese; override any of them in appsettings.json or with <c>Messages__Help=...</c>.
/// </summary>
public sealed class MessagesOptions
{
    public const string Section = "Messages";

    /// <summary>Reply to <c>/help</c>, the <c>help</c> menu key and new followers.</summary>
    public string Help { get; set; } =
        "你好，我是 AI 助手，直接发消息就可以和我聊天。\n\n" +
        "可用指令：\n" +
        "1 —— 查看最新的回答（长回答时查看下一段）\n" +
        "/clear —— 清除上下文，开始新的对话\n" +
        "web —— 打开网页版聊天（回答实时显示，长回答一次看完）\n" +
        "/help —— 显示本帮助\n\n" +
        "菜单：「帮助」显示本帮助，「网页版」打开网页聊天，「请喝咖啡」支持我们。";

    /// <summary>Replied when the answer is not ready within WeChat's time limit.</summary>
    public string Wait { get; set; } = "正在思考中，回答需要一点时间……请稍后发送 1 查看回复。";

    /// <summary>Reply to <c>1</c> when there is nothing to show.</summary>
    public string NoAnswer { get; set; } = "暂时没有可以查看的回答，直接发送你的问题吧。";

    /// <summary>Reply to <c>1</c> while the answer is still being generated.</summary>
    public string StillThinking { get; set; } = "还在思考中，请稍后再发送 1 查看回复。";

    /// <summary>Reply to <c>/clear</c>.</summary>
    /// <summary><c>/clear</c> with a workflow or completion app, which keeps no conversation.</summary>
    public string NoConversation { get; set; } = "这个应用不记上下文，每个问题都单独回答，不需要清除。";

    public string Cleared { get; set; } = "已清除上下文，我们开始新的对话吧。";

    /// <summary>The line between the question and the answer when an answer is fetched with <c>1</c>.</summary>
    public string Separator { get; set; } = "——————";

    /// <summary>Page footer; {0} is the next page number, {1} the page count. At most <see cref="AnswerPaginator.MaxFooterBytes"/> UTF-8 bytes.</summary>
    public string NextPageFooter { get; set; } = "\n（回复 1 查看下一段 {0}/{1}）";

    /// <summary>A picture the channel cannot fetch, or the Dify app does not take pictures (file upload off in Dify).</summary>
    public string UnsupportedImage { get; set; } = "暂时还看不懂图片，请用文字描述你的问题。";

    /// <summary>
    /// The question asked with a picture that came alone. Empty: a picture alone is not asked about until a question
    /// follows (<see cref="LimitsOptions.PictureFollowUp"/>); the follower gets <see cref="ImageReceived"/>.
    /// </summary>
    public string ImagePrompt { get; set; } = "请看看这张图片，告诉我图片里有什么。";

    /// <summary>The reply to a picture sent alone when <see cref="ImagePrompt"/> is empty.</summary>
    public string ImageReceived { get; set; } = "收到图片，请发送你想问的问题。";

    /// <summary>A picture could not be fetched from the platform when its turn ran (expired, refused, not an image).</summary>
    public string ImageUnavailable { get; set; } = "图片没能收到，请再发送一次。";

    /// <summary>A picture larger than the Dify app accepts.</summary>
    public string ImageTooLarge { get; set; } = "图片太大了，请发送小一些的图片。";

    /// <summary>
    /// A voice message WinterAI cannot transcribe: no recognition from the platform and no way to transcribe it here
    /// (ffmpeg missing, the Dify app's speech to text off or refused), or nothing was heard in it.
    /// </summary>
    public string UnsupportedVoice { get; set; } = "没有听清这段语音，请用文字再说一遍。";

    /// <summary>A recording could not be fetched from the platform when its turn ran (expired, refused, too large).</summary>
    public string VoiceUnavailable { get; set; } = "语音没能收到，请再发送一次。";

    /// <summary>
    /// Above the answer to a transcribed voice message, then <see cref="Separator"/>: {0} is what was heard. Empty: the
    /// answer alone.
    /// </summary>
    public string VoiceHeard { get; set; } = "「{0}」";

    public string UnsupportedVideo { get; set; } = "暂时还看不了视频，请用文字描述你的问题。";

    public string UnsupportedLocation { get; set; } = "收到你的位置啦，不过我暂时还不能根据位置回答问题。";

    public string UnsupportedLink { get; set; } = "暂时还不能打开链接，请把想问的内容直接发给我。";

    /// <summary>Any other message type.</summary>
    public string Unsupported { get; set; } = "暂时还不支持这种消息，请发送文字。";

    /// <summary>Dify has no API key configured.</summary>
    public string DifyNotConfigured { get; set; } = "AI 服务尚未配置（Dify is not configured），请联系管理员。";

    public string DifyRateLimited { get; set; } = "提问的人太多了，请稍后再试。";

    public string DifyQuotaExceeded { get; set; } = "AI 服务的额度已用完，请联系管理员。";

    public string DifyUnavailable { get; set; } = "AI 服务暂时不可用，请稍后再试。";

    public string DifyTimeout { get; set; } = "AI 服务响应超时，请稍后再试。";

    /// <summary>Dify refused the key, or the app is not what WinterAI was told (Dify:AppType, Dify:WorkflowAnswerOutput).</summary>
    public string DifyMisconfigured { get; set; } = "AI 服务配置有误，请联系管理员。";

    public string DifyFailed { get; set; } = "抱歉，这次没能生成回答，请换个说法再试一次。";

    /// <summary>Shown with the next reply after a push the platform refused.</summary>
    public string PushFailed { get; set; } = "（上一条回答未能直接发送给你，发送 1 即可查看。）";

    /// <summary>The follower asked more often than <c>Limits:PerMinute</c> / <c>Limits:PerDay</c> allow.</summary>
    public string QuotaExceeded { get; set; } = "你提问得太频繁了，请稍后再试。";

    /// <summary>Too many questions are waiting for Dify on this instance.</summary>
    public string Busy { get; set; } = "现在提问的人太多了，请稍后再试。";

    /// <summary>The shared store (Redis) cannot be reached.</summary>
    public string StoreUnavailable { get; set; } = "系统繁忙，请稍后再试。";

    /// <summary>A question while an input the Dify app requires has no value; {0} is one line per input (its label and the <c>/set</c> to send).</summary>
    public string InputsMissing { get; set; } = "提问前请先设置以下信息：\n{0}";

    /// <summary>Reply to <c>/set</c> alone, and appended to the help when the Dify app has inputs to set; {0} is one line per input.</summary>
    public string InputsList { get; set; } = "你的设置：\n{0}\n\n发送「/set 名称 值」修改，「/unset 名称」清除。";

    /// <summary>Reply to <c>/set</c> and <c>/unset</c> when the Dify app declares nothing a follower can set.</summary>
    public string InputsNone { get; set; } = "当前的 AI 助手没有需要你设置的信息。";

    /// <summary>A value was set; {0} is the input's label, {1} the value.</summary>
    public string InputSet { get; set; } = "已设置「{0}」：{1}";

    /// <summary>A value was cleared; {0} is the input's label.</summary>
    public string InputUnset { get; set; } = "已清除「{0}」。";

    /// <summary>A name the Dify app does not declare (or a follower cannot set); {0} is the name, {1} the allowed names, one per line.</summary>
    public string InputUnknown { get; set; } = "没有可以设置的「{0}」。可以设置的有：\n{1}";

    /// <summary>A name WinterAI fills itself (<c>Dify:Inputs</c>); {0} is the input's label.</summary>
    public string InputFixed { get; set; } = "「{0}」由系统自动填写，不能修改。";

    /// <summary>A value that is not one of a select's options; {0} is the label, {1} the options.</summary>
    public string InputNotOption { get; set; } = "「{0}」只能是以下之一：{1}";

    /// <summary>A value longer than the input allows; {0} is the label, {1} the most characters.</summary>
    public string InputTooLong { get; set; } = "「{0}」最多 {1} 个字。";

    /// <summary>A number input given something else; {0} is the label.</summary>
    public string InputNotNumber { get; set; } = "「{0}」需要是一个数字。";

    /// <summary>Shown for an input without a value in the list of settings.</summary>
    public string InputNotSet { get; set; } = "未设置";

    /// <summary>Marks an input the Dify app requires in the list of settings.</summary>
    public string InputRequired { get; set; } = "（必填）";

    /// <summary>Stands for the value in the <c>/set</c> example of a text input.</summary>
    public string InputExample { get; set; } = "内容";

    /// <summary>
    /// Menu click keys → reply text. Seed defaults: help, coffee. The value "@help" means the help text. The key
    /// <c>web</c> is not looked up here: it always answers with the chat link (<see cref="ChatLink"/>).
    /// </summary>
    public Dictionary<string, string> Menu { get; set; } = new()
    {
        ["help"] = "@help",
        ["coffee"] = "谢谢你的支持 ☕ 有你的鼓励，我会继续努力回答好每一个问题。",
    };

    /// <summary>Reply to the <c>web</c> menu key and command; {0} is the signed link (required), {1} how long it works (e.g. "1 天").</summary>
    public string ChatLink { get; set; } = "点击链接打开网页版聊天，回答实时显示，长回答也能一次看完：\n{0}\n\n链接 {1}内有效，只能由你本人使用，请不要转发。";

    /// <summary>Reply to <c>web</c> while the H5 page is not configured (<c>Chat:SigningKey</c> empty).</summary>
    public string ChatNotConfigured { get; set; } = "网页版聊天暂未开放，敬请期待。";

    /// <summary>
    /// Reply to <c>web</c> when no link can name the follower exactly (an id far longer than any real openid or
    /// UserID, or not well-formed text): the page would not open, so say so instead of sending a broken link.
    /// </summary>
    public string ChatLinkUnavailable { get; set; } = "暂时无法为你生成网页版聊天链接，请直接在这里发送你的问题。";

    /// <summary>The H5 page's API was called with a forged, altered or expired link.</summary>
    public string ChatLinkExpired { get; set; } = "链接已过期。请回到公众号，点击菜单「网页版」或发送 web 获取新的链接。";

    /// <summary>The answer of a turn stopped on the H5 page before any text arrived.</summary>
    public string Stopped { get; set; } = "（已停止回答）";

    /// <summary>An empty question, or one longer than the H5 page accepts.</summary>
    public string QuestionRejected { get; set; } = "问题不能为空，也不能超过 2000 个字。";

    /// <summary>Exact-match keywords → reply text, answered without Dify.</summary>
    public Dictionary<string, string> Keywords { get; set; } = new();

    /// <summary>Keyword rules (exact or regex → reply), tried in order after <see cref="Keywords"/>.</summary>
    public List<KeywordRule> KeywordRules { get; set; } = [];

    /// <summary>
    /// After a blank line, ends the last page of an answer when the Dify app suggests follow-up questions; each
    /// question follows on a line of its own as <c>a. …</c>, <c>b. …</c>, and the follower replies the letter to ask it.
    /// </summary>
    public string SuggestedQuestionsTitle { get; set; } = "你可能还想问（回复字母即可提问）：";

    /// <summary>Replies that rate the newest answer as good in Dify (<c>like</c>), separated by commas. WeChat sends its own 👍 as <c>/:strong</c>.</summary>
    public string LikeWords { get; set; } = "👍,/:strong,有用";

    /// <summary>Replies that rate the newest answer as bad in Dify (<c>dislike</c>), separated by commas. WeChat sends its own 👎 as <c>/:weak</c>.</summary>
    public string DislikeWords { get; set; } = "👎,/:weak,没用";

    /// <summary>Acknowledges a like.</summary>
    public string Liked { get; set; } = "感谢你的肯定！";

    /// <summary>Acknowledges a dislike.</summary>
    public string Disliked { get; set; } = "收到，我会努力改进。";

    /// <summary>A like or dislike with no answer to rate (none yet, a failure text, an answer Dify no longer knows).</summary>
    public string NothingToRate { get; set; } = "暂时没有可以评价的回答。";

    /// <summary>Dify could not take the rating now.</summary>
    public string FeedbackFailed { get; set; } = "评价没有提交成功，请稍后再试。";

    /// <summary>Dify finished without any text.</summary>
    public string EmptyAnswer { get; set; } = "（没有生成回答，请换个说法再试一次。）";

    /// <summary>The follower-facing text for a failed Dify turn.</summary>
    public string ForFailure(DifyFailure failure) => failure switch
    {
        DifyFailure.NotConfigured => DifyNotConfigured,
        DifyFailure.RateLimited => DifyRateLimited,
        DifyFailure.QuotaExceeded => DifyQuotaExceeded,
        DifyFailure.Unavailable => DifyUnavailable,
        DifyFailure.Timeout => DifyTimeout,
        DifyFailure.Misconfigured => DifyMisconfigured,
        _ => DifyFailed,
    };
}
