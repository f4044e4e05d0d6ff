using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WinterAI.Domain;
using WinterAI.Domain.Channels.ChatPage;
using WinterAI.Domain.Turns;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Web.Infrastructure;

public sealed class UnhandledExceptionHandlerTests
{
    [TestCase("GET", "/chat/history")]
    [TestCase("POST", "/chat/stop")]
    [TestCase("POST", "/chat/clear")]
    public async Task AStoreOutageOnAChatPageCallAnswers503WithTheFollowersTextAndThePagesHeaders(string method, string path)
    {
        var configuration = new Dictionary<string, string?>(WeChatAccount.Default.Configuration())
        {
            ["Chat:PublicBaseUrl"] = "https://winterai.example",
            ["Chat:SigningKey"] = new string('k', 32),
            ["Redis:Configuration"] = "127.0.0.1:1",
            ["Redis:OperationTimeout"] = "00:00:00.2",
        };
        await using var host = new WinterAIHost(configuration);
        using var client = host.CreateClient();
        var token = host.Services.GetRequiredService<ChatLinkSigner>().Sign(new Follower(WeChatAccount.Default.AppId, "o-outage"));

        using var response = await new ChatPageClient(client, token).SendAsync(new HttpMethod(method), path);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json; charset=utf-8");
        body.RootElement.GetProperty("message").GetString().ShouldBe(new MessagesOptions().StoreUnavailable);
        body.RootElement.GetProperty("error").GetString().ShouldBe("unavailable");
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        response.Headers.GetValues("Referrer-Policy").Single().ShouldBe("no-referrer");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }
}
