using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WinterAI.Domain.Dify;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Dify;

/// <summary>
/// A Dify client registered exactly as the app registers it (<see cref="DifyServiceCollectionExtensions.AddDify"/>),
/// with delays small enough for tests and the circuit breaker out of the way unless a test asks for it.
/// </summary>
sealed class DifyTestHost : IDisposable
{
    public const string ApiKey = "app-SECRETkey0123456789abcdef";

    readonly ServiceProvider provider;

    DifyTestHost(ServiceProvider provider, LogCollector logs)
    {
        this.provider = provider;
        Logs = logs;
        Client = provider.GetRequiredService<IDifyClient>();
        Metrics = provider.GetRequiredService<DifyMetrics>();
        Recorder = new MetricRecorder(Metrics.Meter);
    }

    public IDifyClient Client { get; }

    public DifyMetrics Metrics { get; }

    public MetricRecorder Recorder { get; }

    public LogCollector Logs { get; }

    public static DifyTestHost For(FakeDifyServer server, params (string Key, string Value)[] settings) =>
        Create(server.BaseUrl, null, settings);

    public static DifyTestHost For(FakeDifyServer server, TimeProvider clock, params (string Key, string Value)[] settings) =>
        Create(server.BaseUrl, clock, settings);

    public static DifyTestHost For(string baseUrl, params (string Key, string Value)[] settings) =>
        Create(baseUrl, null, settings);

    static DifyTestHost Create(string baseUrl, TimeProvider? clock, (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Dify:BaseUrl"] = baseUrl,
            ["Dify:ApiKey"] = ApiKey,
            ["Dify:MaxRetries"] = "3",
            ["Dify:RetryBaseDelay"] = "00:00:00.001",
            ["Dify:AttemptTimeout"] = "00:00:10",
            ["Dify:Timeout"] = "00:00:30",
            ["Dify:BreakDuration"] = "00:01:00",
            ["Dify:CircuitMinimumThroughput"] = "1000",
        };
        foreach (var (key, value) in settings)
        {
            values[$"Dify:{key}"] = value;
        }

        var logs = new LogCollector();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(values);
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }

        builder.AddDify();
        return new DifyTestHost(builder.Services.BuildServiceProvider(), logs);
    }

    public Task<DifyAnswer> AskAsync(string query, string user = "user-1", string? conversationId = null,
        Func<DifyProgress, CancellationToken, ValueTask>? onProgress = null, CancellationToken ct = default) =>
        Client.ChatAsync(new DifyChatRequest(query, user, conversationId), onProgress, ct);

    public void Dispose()
    {
        Recorder.Dispose();
        provider.Dispose();
    }
}
