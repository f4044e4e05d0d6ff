using WinterAI.Web.Chat;

namespace WinterAI.Web.Infrastructure;

public static class WebServiceCollectionExtensions
{
    /// <summary>MVC controllers, the chat page's files and the single exception-to-response mapper.</summary>
    public static IServiceCollection AddWinterAIWeb(this IServiceCollection services)
    {
        services.AddControllers();
        services.AddSingleton<ChatAssets>();
        services.AddProblemDetails();
        services.AddExceptionHandler<UnhandledExceptionHandler>();
        return services;
    }

    public static WebApplication UseWinterAIWeb(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.MapControllers();
        return app;
    }
}
