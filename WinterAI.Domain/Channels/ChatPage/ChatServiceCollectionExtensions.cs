using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Turns;

namespace WinterAI.Domain.Channels.ChatPage;

public static class ChatServiceCollectionExtensions
{
    /// <summary>The H5 chat page: options (validated at start-up), link signing and page turns. Needs the conversations registered.</summary>
    public static IHostApplicationBuilder AddChat(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<ChatOptions>()
            .Bind(configuration.GetSection(ChatOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatOptions>, ChatOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ChatLinkSigner>();
        services.AddSingleton<ChatLinks>();
        services.AddSingleton<IChatPageLinks>(sp => sp.GetRequiredService<ChatLinks>());
        services.AddSingleton<ChatStops>();
        services.AddMediaOptions(builder);
        services.AddSingleton<ChatService>();
        services.AddSingleton<ChatPictures>();
        return builder;
    }
}
