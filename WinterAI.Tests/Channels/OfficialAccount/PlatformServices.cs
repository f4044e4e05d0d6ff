using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WinterAI.Domain.Channels.OfficialAccount;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.OfficialAccount;

/// <summary>The official-account services as the app registers them, pointed at a <see cref="FakeWeChatApi"/>, with an in-memory store.</summary>
internal static class PlatformServices
{
    public static ServiceProvider Create(FakeWeChatApi platform, CapturingLoggerProvider? logs = null, Action<Dictionary<string, string?>>? change = null, TimeProvider? time = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["WeChat:Token"] = "callback-token",
            ["WeChat:AppId"] = platform.AppId,
            ["WeChat:AppSecret"] = platform.AppSecret,
            ["WeChat:ApiBaseUrl"] = platform.BaseUrl,
            ["WeChat:CustomerServicePush"] = "true",
        };
        change?.Invoke(settings);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.AddStateStore().AddWeChat().AddConversations();
        return builder.Services.BuildServiceProvider();
    }
}
