using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>Timings scaled down tenfold from WeChat's (5 s → 500 ms) so scenarios run quickly.</summary>
    public static Dictionary<string, string?> ScaledClock() => new()
    {
        ["WeChat:ReplyWindow"] = "00:00:00.45",
        ["WeChat:HoldLimit"] = "00:00:02",
    };
}
