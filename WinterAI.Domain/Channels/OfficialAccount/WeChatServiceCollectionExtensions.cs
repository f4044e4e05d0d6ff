using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RestSharp;
using WinterAI.Domain.Channels.OfficialAccount.Menus;
using WinterAI.Domain.Protocol.Callbacks;
using WinterAI.Domain.Protocol.Platform;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.OfficialAccount;

public static class WeChatServiceCollectionExtensions
{
    /// <summary>The official-account channel: options (validated at start-up) and the callback endpoint.</summary>
    public static IHostApplicationBuilder AddWeChat(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<WeChatOptions>()
            .Bind(configuration.GetSection(WeChatOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WeChatOptions>, WeChatOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CallbackReplays>();
        services.AddSingleton<OfficialAccountEndpoint>();
        services.AddOptions<MenuOptions>()
            .Bind(configuration.GetSection(MenuOptions.Section))
            .PostConfigure(menu =>
            {
                if (menu.Buttons.Count == 0)
                {
                    menu.Buttons = MenuOptions.Seed();
                }
            });
        services.AddSingleton<MenuPublisher>();
        services.TryAddSingleton<AccessTokenCache>();
        services.AddKeyedSingleton(WeChatApiClient.RestClientKey, (sp, _) => new RestClient(new RestClientOptions(sp.GetRequiredService<IOptions<WeChatOptions>>().Value.ApiBaseUrl)
        {
            Timeout = WeChatApiClient.CallTimeout,
            ThrowOnAnyError = false,
        }));
        services.AddSingleton<WeChatApiClient>();
        services.TryAddSingleton<PagePusher>();
        services.AddSingleton<CustomerServicePusher>();
        services.AddMediaOptions(builder);
        services.AddKeyedSingleton(OfficialAccountMedia.MediaRestClientKey, (_, _) => new RestClient(new RestClientOptions
        {
            ThrowOnAnyError = false,
            FollowRedirects = false,
        }));
        services.AddSingleton<OfficialAccountMedia>();
        services.AddSingleton<OfficialAccountVoice>();
        services.AddSingleton<IChannel, OfficialAccountChannel>();
        return builder;
    }
}
