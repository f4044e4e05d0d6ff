using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RestSharp;
using WinterAI.Domain.Protocol.Callbacks;
using WinterAI.Domain.Protocol.Platform;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeCom;

public static class WeComServiceCollectionExtensions
{
    /// <summary>The WeCom channel: options (validated at start-up), the callback endpoint, message/send and its pusher, and message/send for the corp's other channels (<see cref="IWorkUserMessenger"/>).</summary>
    public static IHostApplicationBuilder AddWeCom(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<WeComOptions>()
            .Bind(configuration.GetSection(WeComOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WeComOptions>, WeComOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AccessTokenCache>();
        services.AddSingleton<WeComMetrics>();
        services.AddKeyedSingleton(WeComApiClient.RestClientKey, (sp, _) => new RestClient(new RestClientOptions(sp.GetRequiredService<IOptions<WeComOptions>>().Value.ApiBaseUrl)
        {
            Timeout = WeComApiClient.CallTimeout,
            ThrowOnAnyError = false,
        }));
        services.AddSingleton<WeComApiClient>();
        services.AddMediaOptions(builder);
        services.AddSingleton<WeComMedia>();
        services.AddSingleton<IWorkUserMessenger, WeComAppMessenger>();
        services.TryAddSingleton<PagePusher>();
        services.AddSingleton<WeComPusher>();
        services.AddSingleton<IChannel, WeComChannel>();
        services.AddSingleton<WeComOutbox>();
        services.AddHostedService(sp => sp.GetRequiredService<WeComOutbox>());
        services.TryAddSingleton<CallbackReplays>();
        services.AddSingleton<WeComEndpoint>();
        return builder;
    }
}
