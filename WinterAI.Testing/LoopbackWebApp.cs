using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace WinterAI.Testing;

/// <summary>A Kestrel app on 127.0.0.1 and a free port, logging nothing: the host each fake platform runs in.</summary>
public sealed class LoopbackWebApp : IAsyncDisposable
{
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(5);

    private readonly WebApplication app;

    private LoopbackWebApp(WebApplication app)
    {
        this.app = app;
        BaseUrl = app.Urls.Single().TrimEnd('/');
    }

    /// <summary><c>http://127.0.0.1:{port}</c>.</summary>
    public string BaseUrl { get; }

    /// <param name="map">Adds the fake's endpoints or middleware.</param>
    public static async Task<LoopbackWebApp> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return new LoopbackWebApp(app);
    }

    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(StopDeadline);
        await app.StopAsync(deadline.Token);
        await app.DisposeAsync();
    }
}
