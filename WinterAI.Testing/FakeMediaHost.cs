using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace WinterAI.Testing;

/// <summary>
/// A real Kestrel server on 127.0.0.1 standing in for a platform's file host (the WeCom robot's encrypted picture
/// URLs, WeChat's media downloads): serves the bytes put under a name, 404 for anything else, and counts downloads.
/// </summary>
public sealed class FakeMediaHost : IAsyncDisposable
{
    readonly ConcurrentDictionary<string, byte[]> files = new();
    readonly ConcurrentDictionary<string, int> downloads = new();
    LoopbackWebApp? web;

    FakeMediaHost()
    {
    }

    public string BaseUrl { get; private set; } = "";

    public static async Task<FakeMediaHost> StartAsync()
    {
        var host = new FakeMediaHost();
        host.web = await LoopbackWebApp.StartAsync(app => app.Run(host.ServeAsync));
        host.BaseUrl = host.web.BaseUrl;
        return host;
    }

    /// <summary>Serves <paramref name="content"/> at the returned URL.</summary>
    public string Put(string name, byte[] content)
    {
        files[name] = content;
        return $"{BaseUrl}/media/{Uri.EscapeDataString(name)}?sign=secret-{Guid.NewGuid():N}";
    }

    /// <summary>How many times the file named <paramref name="name"/> was downloaded.</summary>
    public int Downloads(string name) => downloads.GetValueOrDefault(name);

    async Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var name = path.StartsWith("/media/", StringComparison.Ordinal) ? Uri.UnescapeDataString(path["/media/".Length..]) : "";
        if (!files.TryGetValue(name, out var content))
        {
            context.Response.StatusCode = 404;
            return;
        }

        downloads.AddOrUpdate(name, 1, (_, n) => n + 1);
        context.Response.ContentType = "application/octet-stream";
        await context.Response.Body.WriteAsync(content, context.RequestAborted);
    }

    /// <summary>A small valid PNG (1×1), for pictures whose content does not matter.</summary>
    public static byte[] TinyPng() => Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

    public async ValueTask DisposeAsync()
    {
        if (web is not null)
        {
            await web.DisposeAsync();
        }
    }
}
