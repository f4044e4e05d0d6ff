using System.ComponentModel.DataAnnotations;

namespace WinterAI.Domain.Dify;

/// <summary>The <c>Dify</c> configuration section.</summary>
public sealed class DifyOptions
{
    public const string Section = "Dify";

    /// <summary>Service API base, ending in <c>/v1</c>. Default <c>https://api.dify.ai/v1</c>.</summary>
    [Required, Url]
    public string BaseUrl { get; set; } = "https://api.dify.ai/v1";

    /// <summary>The app's API key (<c>app-...</c>). Empty: every turn fails with <see cref="DifyFailure.NotConfigured"/>.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>Bounds a whole turn, retries included. Default 2 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Bounds each attempt until the stream starts, and each silence inside the stream (Dify pings every ~10 s,
    /// so a longer silence means a dead connection). Default 30 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of 429, 5xx and connection failures before the stream starts. Default 3.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; later ones grow exponentially with jitter. Default 500 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Longest wait before a retry: caps the exponential backoff and the server's <c>Retry-After</c>, so one
    /// unreasonable header cannot outlast the whole turn. Default 10 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the circuit stays open after Dify keeps failing. Default 15 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.5", "00:10:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Attempts (retries count) within the 30-second sampling window before the breaker may open; it opens when
    /// half of them failed with 5xx, a connection failure or an attempt timeout. Default 8: two turns that each
    /// failed through 3 retries.
    /// </summary>
    [Range(2, 1000)]
    public int CircuitMinimumThroughput { get; set; } = 8;

    /// <summary>Sent as <c>auto_generate_name</c>: Dify names new conversations in its console (one extra LLM call). Default true, as in Dify.</summary>
    public bool AutoGenerateName { get; set; } = true;

    /// <summary>
    /// The kind of Dify app: <c>auto</c> (the default, also when empty: asked from Dify's <c>GET /info</c> on first use and every few
    /// minutes), <c>chat</c>, <c>agent</c>, <c>chatflow</c>, <c>workflow</c> or <c>completion</c>.
    /// </summary>
    public string AppType { get; set; } = DifyAppTypes.Auto;

    /// <summary>Workflow and completion apps: the input variable that receives the follower's question. Default <c>query</c>.</summary>
    public string WorkflowQueryInput { get; set; } = "query";

    /// <summary>Workflow apps: the output variable that holds the answer. Default <c>text</c>.</summary>
    public string WorkflowAnswerOutput { get; set; } = "text";

    /// <summary>
    /// Answer a spoken question with a voice message too (official account, passive reply; Dify's text to speech must be
    /// on in the app): a one-page answer of at most <see cref="MaxVoiceReplyChars"/> characters is read out with
    /// <c>POST /text-to-audio</c> and replied as voice; <c>1</c> shows the text. Default false.
    /// </summary>
    public bool VoiceReplies { get; set; }

    /// <summary>The longest answer read out: about the 60 seconds a WeChat voice message may last.</summary>
    public const int MaxVoiceReplyChars = 240;

    /// <summary>The configured app type, or null for <c>auto</c>.</summary>
    public DifyAppType? ExplicitAppType => DifyAppTypes.ByName.TryGetValue(AppType.Trim(), out var type) ? type : null;

    /// <summary>
    /// The app's input variables WinterAI fills itself (<c>Dify:Inputs:{variable}</c>): variable name → source
    /// (<see cref="DifyInputSource"/>: <c>channel</c>, <c>account</c>, <c>user</c>, <c>group</c>, <c>msgtype</c>,
    /// <c>menukey</c>, <c>scene</c>, or <c>=literal</c>). Followers cannot <c>/set</c> a variable mapped here. Default none.
    /// </summary>
    public Dictionary<string, string> Inputs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// What happens to <c>&lt;think&gt;…&lt;/think&gt;</c> reasoning that reasoning models write before their answer:
    /// <see cref="ReasoningDisplay.Hide"/> (default) removes it everywhere; <see cref="ReasoningDisplay.Fold"/> also
    /// removes it from WeChat and WeCom but shows it folded on the H5 chat page.
    /// </summary>
    public ReasoningDisplay Reasoning { get; set; } = ReasoningDisplay.Hide;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey);
}
