using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WinterAI.Web;

namespace WinterAI.Tests.Fakes;

/// <summary>WinterAI.Web booted in-process with configuration given as ASP.NET configuration keys (the same names as the environment variables).</summary>
public sealed class WinterAIHost(IReadOnlyDictionary<string, string?> configuration, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(configuration));
        if (services is not null)
        {
            builder.ConfigureServices(services);
        }
    }

    /// <summary>
    /// Starts WinterAI as Program.cs composes it and returns why it refused to start. Not through
    /// WebApplicationFactory: when the app's host fails to start, the factory can race the failing entry point and
    /// report an ObjectDisposedException instead of the validation error.
    /// </summary>
    public static Task<OptionsValidationException> StartupFailureAsync(IReadOnlyDictionary<string, string?> configuration) =>
        StartupFailureAsync<OptionsValidationException>(configuration);

    public static async Task<TException> StartupFailureAsync<TException>(IReadOnlyDictionary<string, string?> configuration)
        where TException : Exception
    {
        await using var app = WinterAIApplication.Build(
            ["--urls", "http://127.0.0.1:0", "--environment", "Testing"],
            builder => builder.Configuration.AddInMemoryCollection(configuration));
        return await Should.ThrowAsync<TException>(() => app.StartAsync());
    }

    /// <summary>
    /// The default official account (<see cref="WeChatAccount.Default"/>) answering through <paramref name="dify"/>, with
    /// <see cref="QuickReplies"/>; <paramref name="chatPage"/> switches the H5 page on (any signing key).
    /// </summary>
    public static Dictionary<string, string?> OfficialAccountWith(FakeDifyServer dify, bool chatPage = false)
    {
        var configuration = QuickReplies();
        foreach (var (key, value) in WeChatAccount.Default.Configuration())
        {
            configuration[key] = value;
        }

        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-test-key";
        configuration["Dify:RetryBaseDelay"] = "00:00:00.01";
        if (chatPage)
        {
            configuration["Chat:PublicBaseUrl"] = "https://bot.example.com";
            configuration["Chat:SigningKey"] = "test-chat-page-signing-key-0123456789-abcdef";
        }

        return configuration;
    }

    /// <summary>
    /// For tests of the callback protocol rather than of the delivery engine: a short reply window, and every
    /// delivery without an answer replies the wait message at once instead of holding for WeChat's retry.
    /// </summary>
    public static Dictionary<string, string?> QuickReplies() => new()
    {
        ["WeChat:ReplyWindow"] = "00:00:02",
        ["WeChat:HoldForRetry"] = "false",
    };
}
