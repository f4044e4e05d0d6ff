using WinterAI.Domain.Chat;
using WinterAI.Domain.Conversations;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;
using WinterAI.Domain.WeChat;
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
    .AddConversations(builder.Configuration)
    .AddChat(builder.Configuration)
    .AddWinterAIWeb();

var app = builder.Build();
app.UseWinterAIWeb();
await app.RunAsync();
return 0;

public partial class Program;
