using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using WinterAI.Web.ChatPage;

namespace WinterAI.Web.Infrastructure;

public static class WebServiceCollectionExtensions
{
    /// <summary>
    /// No request of WinterAI's carries more than a few KB (a callback, a chat question, a menu); a larger body is
    /// refused when it is read, whatever the route, instead of Kestrel's 30 MB default.
    /// </summary>
    public const long MaxRequestBodyBytes = CallbackReceiver.MaxBodyBytes;

    /// <summary>MVC controllers, the chat page's files and the single exception-to-response mapper.</summary>
    public static IHostApplicationBuilder AddWinterAIWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddControllers(mvc =>
        {
            // Form value providers read and buffer a form body on any route, before a controller can authenticate or
            // limit it. Nothing of WinterAI's takes a form, so none is parsed.
            mvc.ValueProviderFactories.RemoveType<FormValueProviderFactory>();
            mvc.ValueProviderFactories.RemoveType<FormFileValueProviderFactory>();
            mvc.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
        }).AddApplicationPart(typeof(WebServiceCollectionExtensions).Assembly); // also when the entry assembly is not WinterAI.Web (a test runner)
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        services.AddSingleton<CallbackReceiver>();
        services.AddSingleton<ChatAssets>();
        services.AddProblemDetails();
        services.AddExceptionHandler<UnhandledExceptionHandler>();
        return builder;
    }

    public static WebApplication UseWinterAIWeb(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.MapControllers();
        return app;
    }
}
