using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace WinterAI.Domain.Storage;

/// <summary>The <c>Redis</c> configuration section: where shared state lives and how long it is kept.</summary>
public sealed partial class RedisOptions : IValidatableObject
{
    public const string Section = "Redis";

    /// <summary>
    /// A StackExchange.Redis configuration string: comma-separated <c>host:port</c> endpoints, then options, e.g.
    /// <c>redis:6379,password=...</c>; <c>user=...</c> for an ACL user, <c>ssl=true</c> for TLS, several endpoints for a
    /// Cluster, and the sentinels' endpoints with <c>serviceName=...</c> for Sentinel. The <c>redis://</c> URI form is
    /// refused: the client would take it for a host name, and its password would reach health checks and logs.
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

        var problem = Problem(Configuration);
        if (problem is not null)
        {
            yield return new ValidationResult($"Redis:Configuration {problem}", [nameof(Configuration)]);
        }
    }

    /// <summary>What is wrong with a configuration string, worded never to repeat any part of it; null when nothing is.</summary>
    private static string? Problem(string configuration)
    {
        const string Expected = "use 'host:port,password=...' (with 'user=...' for an ACL user, 'ssl=true' for TLS, 'serviceName=...' for Sentinel)";
        if (UriForm().IsMatch(configuration))
        {
            return $"must not be a redis:// or rediss:// URI: the client reads it as a host name, so its password would show in health checks and logs; {Expected}.";
        }

        ConfigurationOptions parsed;
        try
        {
            parsed = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException e)
        {
            // Parse messages name the offending keyword, never its value, so they cannot leak a password.
            return $"is not a valid StackExchange.Redis configuration string ({e.Message}); {Expected}.";
        }

        if (parsed.EndPoints.Count == 0)
        {
            return $"names no host:port endpoint; {Expected}.";
        }

        // "user:password@host" or "host:port:password" parse as a host name that would then be shown and logged.
        if (parsed.EndPoints.Any(endpoint => endpoint is DnsEndPoint { Host: var host } && host.IndexOfAny(['@', ':', '/']) >= 0))
        {
            return $"has an endpoint that is not a plain host:port (it contains '@', '/' or a second ':'), which would show a password in health checks and logs; {Expected}.";
        }

        return null;
    }

    [GeneratedRegex(@"^\s*rediss?://", RegexOptions.IgnoreCase)]
    private static partial Regex UriForm();
}
