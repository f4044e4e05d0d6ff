using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RestSharp;
using WinterAI.Domain.Channels.WeComRobot.LongConnection;
using WinterAI.Domain.Protocol.Callbacks;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.WeComRobot;

public static class WeComRobotServiceCollectionExtensions
{
    /// <summary>The WeCom robot channel (webhook mode): options (validated at start-up), its streams, endpoint and late-answer pusher.</summary>
    public static IHostApplicationBuilder AddWeComRobot(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WeComRobotOptions>()
            .Bind(builder.Configuration.GetSection(WeComRobotOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WeComRobotOptions>, WeComRobotOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddKeyedSingleton(RobotPusher.RestClientKey, (_, _) => new RestClient(new RestClientOptions
        {
            Timeout = RobotPusher.CallTimeout,
            ThrowOnAnyError = false,
            FollowRedirects = false,
        }));
        services.AddMediaOptions(builder);
        services.AddKeyedSingleton(RobotMedia.RestClientKey, (_, _) => new RestClient(new RestClientOptions
        {
            ThrowOnAnyError = false,
            FollowRedirects = false,
        }));
        services.AddSingleton<RobotMedia>();
        services.AddSingleton<RobotStreams>();
        services.AddSingleton<RobotPusher>();
        services.AddSingleton<RobotFeedback>();
        services.AddSingleton<IChannel, WeComRobotChannel>();
        services.TryAddSingleton<CallbackReplays>();
        services.AddSingleton<WeComRobotEndpoint>();
        services.AddSingleton<RobotOwedAnswers>();
        services.AddSingleton<WeComRobotLongConnection>();
        services.AddHostedService(sp => sp.GetRequiredService<WeComRobotLongConnection>());
        return builder;
    }
}
