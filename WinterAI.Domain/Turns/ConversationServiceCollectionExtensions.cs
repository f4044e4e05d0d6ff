using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Turns.AudioConversion;

namespace WinterAI.Domain.Turns;

public static class ConversationServiceCollectionExtensions
{
    /// <summary>Commands, texts, the delivery engine and the background turn runner. Needs the store and Dify registered.</summary>
    public static IHostApplicationBuilder AddConversations(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<MessagesOptions>()
            .Bind(configuration.GetSection(MessagesOptions.Section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessagesOptions>, MessagesOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessagesOptions>, InputMessagesValidator>());
        services.AddSingleton<FollowerInputStore>();
        services.AddSingleton<AppInputs>();
        services.AddSingleton<KeywordMatcher>();
        services.AddOptions<LimitsOptions>().Bind(configuration.GetSection(LimitsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AudioConversionOptions>()
            .Bind(configuration.GetSection(AudioConversionOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<FfmpegAudioConverter>();
        services.AddSingleton<IntentRouter>();
        services.AddSingleton<ConversationStore>();
        services.AddSingleton<ConversationService>();
        services.AddSingleton<TurnStore>();
        services.AddSingleton<TurnEngine>();
        services.AddSingleton<FollowerLock>();
        services.AddSingleton<PartialAnswers>();
        services.AddSingleton<ChannelDirectory>();
        services.AddSingleton<AnswerSignals>();
        services.AddSingleton(sp =>
        {
            var runner = ActivatorUtilities.CreateInstance<TurnRunner>(sp);
            sp.GetRequiredService<TurnRunnerShutdown>().Attach(runner);
            return runner;
        });
        services.AddSingleton<TurnRunnerShutdown>();
        services.AddHostedService(sp => sp.GetRequiredService<TurnRunnerShutdown>());
        services.AddSingleton<DeliveryEngine>();
        services.AddSingleton<AnswerPaginator>();
        services.AddSingleton<FollowerQuota>();
        services.AddSingleton<FollowerNotices>();
        services.AddSingleton<DifyGate>();
        services.AddSingleton<DeliveryMetrics>();
        services.AddSingleton<SuggestedQuestions>();
        services.AddSingleton<SuggestedQuestionsFetcher>();
        services.AddSingleton<AnswerFeedback>();
        services.AddSingleton<AnswerFollowUps>();
        return builder;
    }
}
