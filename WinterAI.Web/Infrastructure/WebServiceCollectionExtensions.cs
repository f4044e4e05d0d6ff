using WinterAI.Web.Chat;
using WinterAI.Web.Health;

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
        services.AddHttpClient(DifyReachability.ClientName, http => http.Timeout = TimeSpan.FromSeconds(5));
        services.AddSingleton<DifyReachability>();
        return services;
    }

    public static WebApplication UseWinterAIWeb(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.MapControllers();
        return app;
    }
}
