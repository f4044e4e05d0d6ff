using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WinterAI.Web;

namespace WinterAI.Tests.Fakes;

/// <summary>
/// WinterAI composed exactly as Program.cs does, on a real Kestrel listening on a free loopback port: for what only a
/// real server shows (request body limits, minimum data rates, a client that stalls mid-body). Every log line is kept.
/// </summary>
public sealed class KestrelWinterAI : IAsyncDisposable
{
    private readonly WebApplication app;

    private KestrelWinterAI(WebApplication app, LogCollector logs, Uri baseAddress)
    {
        this.app = app;
        Logs = logs;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Port => BaseAddress.Port;

    public LogCollector Logs { get; }

    public IServiceProvider Services => app.Services;

    public static async Task<KestrelWinterAI> StartAsync(IReadOnlyDictionary<string, string?> configuration, Action<IServiceCollection>? services = null)
    {
        var logs = new LogCollector();
        var app = WinterAIApplication.Build(
            ["--urls", "http://127.0.0.1:0", "--environment", "Testing"],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(configuration);
                builder.Logging.AddProvider(logs);
                services?.Invoke(builder.Services);
            });
        await app.StartAsync();
        return new KestrelWinterAI(app, logs, new Uri(app.Urls.First()));
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
