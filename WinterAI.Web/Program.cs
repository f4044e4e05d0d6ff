using WinterAI.Domain.Chat;
using WinterAI.Domain.Conversations;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;
using WinterAI.Domain.WeChat;
using WinterAI.Domain.WeCom;
using WinterAI.Web.Admin;
using WinterAI.Web.Infrastructure;

if (args is [HealthProbe.Flag])
{
    return await HealthProbe.RunAsync();
}

var builder = WebApplication.CreateBuilder(args);
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
await app.RunAsync();
return 0;

public partial class Program;
