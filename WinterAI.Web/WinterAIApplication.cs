using WinterAI.Domain.Chat;
using WinterAI.Domain.Conversations;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;
using WinterAI.Domain.WeChat;
using WinterAI.Domain.WeCom;
using WinterAI.Web.Admin;
using WinterAI.Web.Infrastructure;

namespace WinterAI.Web;

/// <summary>Composes WinterAI: every subsystem registers itself, then the pipeline is mapped.</summary>
public static class WinterAIApplication
{
    /// <param name="configure">Lets a caller (the start-up tests) add configuration before the services read it.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.WebHost.UseDefaultUrlUnlessConfigured("http://localhost:8080");
        builder.Services
            .AddStateStore(builder.Configuration)
            .AddDify(builder.Configuration)
            .AddWeChat(builder.Configuration)
            .AddWeCom(builder.Configuration)
            .AddConversations(builder.Configuration)
            .AddChat(builder.Configuration)
            .AddWinterAIWeb()
            .AddAdmin(builder.Configuration);

        var app = builder.Build();
        app.UseWinterAIWeb();
        app.UseAdmin();
        return app;
    }
}
