using System.ComponentModel.DataAnnotations;
using StackExchange.Redis;

namespace WinterAI.Domain.Storage;

/// <summary>The <c>Redis</c> configuration section: where shared state lives and how long it is kept.</summary>
public sealed class RedisOptions : IValidatableObject
{
    public const string Section = "Redis";

    /// <summary>
    /// A StackExchange.Redis configuration string, e.g. <c>redis:6379,password=...,ssl=false</c>.
    /// Default empty: state lives in this process only (<see cref="InMemoryStateStore"/>), which is right for
    /// development, tests and a single instance, and wrong for several instances behind a load balancer.
    /// <c>abortConnect</c> is always forced to false so the service starts while Redis is down.
    /// </summary>
    public string Configuration { get; set; } = "";

    /// <summary>Put in front of every key so several deployments can share one Redis. Default <c>winterai:</c>.</summary>
    [Required(ErrorMessage = "Redis:KeyPrefix must not be empty.")]
    [RegularExpression(@"^[^\s]{1,64}$", ErrorMessage = "Redis:KeyPrefix must be 1-64 characters without whitespace.")]
    public string KeyPrefix { get; set; } = "winterai:";

    /// <summary>How long a follower's Dify conversation id is kept after their last message (sliding). Default 7 days.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00", ErrorMessage = "Redis:ConversationTtl must be between {1} and {2}.")]
    public TimeSpan ConversationTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a follower's latest turn (question, answer, parts read) stays fetchable with <c>1</c>. Default 24 hours.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Redis:AnswerTtl must be between {1} and {2}.")]
    public TimeSpan AnswerTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long per-message state (the MsgId claim, the finished answer, the delivery counter) is kept.
    /// It must outlast WeChat's three deliveries (~15 s) with room to spare. Default 10 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Redis:MessageTtl must be between {1} and {2}.")]
    public TimeSpan MessageTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Upper bound on any single store operation, connecting included. Small, because callers are racing WeChat's
    /// 5-second window and a slow store must turn into a fast failure rather than a missed reply. Default 2 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "Redis:OperationTimeout must be between {1} and {2}.")]
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>True when <see cref="Configuration"/> points at a Redis server.</summary>
    public bool UsesRedis => !string.IsNullOrWhiteSpace(Configuration);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!UsesRedis)
        {
            yield break;
        }

        string? problem;
        try
        {
            // 1.2.6 silently drops endpoints it cannot parse, so "no endpoints" is how most typos show up.
            problem = ConfigurationOptions.Parse(Configuration).EndPoints.Count == 0
                ? "names no host:port endpoint"
                : null;
        }
        catch (ArgumentException e)
        {
            // Parse messages name the offending keyword, never its value, so they cannot leak a password.
            // For a bad number 1.2.6 puts the useful text in ParamName.
            problem = e is ArgumentOutOfRangeException { ParamName: { } detail } ? detail : e.Message;
        }

        if (problem is not null)
        {
            yield return new ValidationResult(
                $"Redis:Configuration is not a valid StackExchange.Redis configuration string ({problem}); expected e.g. 'redis:6379,password=...'.",
                [nameof(Configuration)]);
        }
    }
}
