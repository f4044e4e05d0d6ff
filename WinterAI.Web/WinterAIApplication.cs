using WinterAI.Domain.Channels.ChatPage;
using WinterAI.Domain.Channels.OfficialAccount;
using WinterAI.Domain.Channels.WeCom;
using WinterAI.Domain.Channels.WeComRobot;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;
using WinterAI.Domain.Turns;
using WinterAI.Web.Admin;
using WinterAI.Web.Health;
using WinterAI.Web.Infrastructure;
using WinterAI.Web.Logging;

namespace WinterAI.Web;

/// <summary>Composes WinterAI: every subsystem registers itself, then the pipeline is mapped.</summary>
public static class WinterAIApplication
{
    /// <param name="configure">Lets a caller (the start-up tests) add configuration before the services read it.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot(args) });
        configure?.Invoke(builder);
        builder.WebHost.UseDefaultUrlUnlessConfigured("http://localhost:8080");
        builder
            .AddWinterAILogging()
            .AddStateStore()
            .AddDify()
            .AddWeChat()
            .AddWeCom()
            .AddWeComRobot()
            .AddConversations()
            .AddChat()
            .AddWinterAIWeb()
            .AddWinterAIHealth()
            .AddAdmin();

        var app = builder.Build();
        app.UseWinterAIWeb();
        app.MapWinterAIHealth();
        app.UseAdmin();
        return app;
    }

    /// <summary>
    /// The app's own directory, not the current one: started from elsewhere (<c>cd /tmp &amp;&amp; dotnet /app/WinterAI.Web.dll</c>)
    /// it would otherwise run without appsettings.json, and so without the settings in it (the JSON log format among them).
    /// Null — the framework decides — when the operator named a content root (<c>--contentRoot</c>,
    /// <c>ASPNETCORE_CONTENTROOT</c>, <c>DOTNET_CONTENTROOT</c>), read from the same sources the host reads it from.
    /// </summary>
    private static string? ContentRoot(string[] args)
    {
        var host = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build();
        return string.IsNullOrEmpty(host[WebHostDefaults.ContentRootKey]) ? AppContext.BaseDirectory : null;
    }
}
