using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using RestSharp;

namespace WinterAI.Domain.Dify;

public static class DifyServiceCollectionExtensions
{
    // A window long enough to see a few turns' attempts, short enough that an old outage does not count.
    static readonly TimeSpan CircuitSamplingDuration = TimeSpan.FromSeconds(30);

    // Half of the sampled attempts failing means Dify is down, not unlucky.
    const double CircuitFailureRatio = 0.5;

    /// <summary>
    /// Registers <see cref="IDifyClient"/> from the <c>Dify</c> section: options validated at start-up, the HTTP
    /// client and its resilience pipelines (retry, circuit breaker, attempt and turn timeouts), and the metrics.
    /// </summary>
    public static IHostApplicationBuilder AddDify(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<DifyOptions>()
            .Bind(configuration.GetSection(DifyOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DifyOptions>, DifyOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddLogging();
        services.TryAddSingleton<DifyMetrics>();
        services.TryAddSingleton(sp => CreateTransport(
            sp.GetRequiredService<IOptions<DifyOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<DifyMetrics>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<DifyClient>()));
        services.TryAddSingleton(sp => new DifyClient(
            sp.GetRequiredService<DifyTransport>(),
            sp.GetRequiredService<IOptions<DifyOptions>>(),
            sp.GetRequiredService<DifyMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DifyClient>>()));
        services.TryAddSingleton<IDifyClient>(sp => sp.GetRequiredService<DifyClient>());
        services.TryAddSingleton<DifyAppProfile>();
        return builder;
    }

    static DifyTransport CreateTransport(DifyOptions options, TimeProvider timeProvider, DifyMetrics metrics, ILogger logger)
    {
        var handler = new SocketsHttpHandler
        {
            // Follows DNS changes of a hosted Dify without restarting WinterAI.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        // Polly owns every timeout; RestSharp's and HttpClient's own (100 s) would cut long streams.
        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var rest = new RestClient(http, new RestClientOptions(options.BaseUrl)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            UserAgent = "WinterAI",
            // Without it the streaming call swallows connection failures, which the retry has to see.
            ThrowOnAnyError = true,
        }, disposeHttpClient: true);

        var turn = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddTimeout(options.Timeout)
            .Build();

        var attempt = new ResiliencePipelineBuilder<DifyHttpResult> { TimeProvider = timeProvider };
        if (options.MaxRetries > 0)
        {
            attempt.AddRetry(new RetryStrategyOptions<DifyHttpResult>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(RetryReason(args.Outcome) is not null),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter),
                OnRetry = args =>
                {
                    var reason = RetryReason(args.Outcome) ?? "unknown";
                    metrics.Retried(reason);
                    DifyLog.Retrying(logger, args.AttemptNumber + 1, reason, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        attempt.AddCircuitBreaker(new CircuitBreakerStrategyOptions<DifyHttpResult>
        {
            FailureRatio = CircuitFailureRatio,
            MinimumThroughput = options.CircuitMinimumThroughput,
            SamplingDuration = CircuitSamplingDuration,
            BreakDuration = options.BreakDuration,
            // 429 and 4xx mean Dify is alive and answering; only signs of a dead or hanging Dify count.
            ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
            {
                { Exception: TimeoutRejectedException } => true,
                { Exception: { } ex } => DifyClient.IsConnectionFailure(ex),
                { Result.Status: >= 500 } => true,
                _ => false,
            }),
            OnOpened = args =>
            {
                metrics.CircuitChanged(open: true);
                DifyLog.CircuitOpened(logger, args.BreakDuration);
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                metrics.CircuitChanged(open: false);
                DifyLog.CircuitClosed(logger);
                return ValueTask.CompletedTask;
            },
        });

        attempt.AddTimeout(options.AttemptTimeout);
        return new DifyTransport(rest, turn, attempt.Build());
    }

    /// <summary>Why an attempt is worth repeating, or null when it is not (success, 4xx, timeout, open circuit).</summary>
    static string? RetryReason(Outcome<DifyHttpResult> outcome) => outcome switch
    {
        { Exception: { } ex } when DifyClient.IsConnectionFailure(ex) => "connection",
        { Result.Status: (int)HttpStatusCode.TooManyRequests } => "429",
        { Result.Status: >= 500 } => "5xx",
        _ => null,
    };
}
