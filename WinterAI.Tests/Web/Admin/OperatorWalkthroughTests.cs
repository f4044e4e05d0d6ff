using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WinterAI.Tests.Web.Admin;

/// <summary>The README's promise to a new operator, step by step, against a real process configured by environment.</summary>
public sealed class OperatorWalkthroughTests
{
    [Test]
    public async Task ANewOperatorCanAuthenticateSimulatePublishTheMenuAndReadTheStats()
    {
        var account = WeChatAccount.Default;
        await using var dify = await FakeDifyServer.StartAsync();
        await using var platform = new FakeWeChatApi(account.AppId);
        await platform.StartAsync();
        await using var winterAI = await WinterAIProcess.StartAsync(new Dictionary<string, string?>
        {
            ["WeChat__Token"] = account.Token,
            ["WeChat__AppId"] = account.AppId,
            ["WeChat__AppSecret"] = platform.AppSecret,
            ["WeChat__EncodingAESKey"] = account.EncodingAesKey,
            ["WeChat__ApiBaseUrl"] = platform.BaseUrl,
            ["Dify__BaseUrl"] = dify.BaseUrl,
            ["Dify__ApiKey"] = "app-walkthrough",
            ["Admin__ApiKey"] = "a-long-random-admin-key-0123456789",
        });
        var client = winterAI.Client;

        using var swaggerUi = await client.GetAsync("/swagger/index.html");
        using var unauthorized = await client.PostAsJsonAsync("/admin/simulate", new { openId = "o-operator", content = "你好" });
        client.DefaultRequestHeaders.Add("X-Admin-Key", "a-long-random-admin-key-0123456789");
        var simulated = await client.PostAsJsonAsync("/admin/simulate", new { openId = "o-operator", content = "你好" });
        var deliveries = await simulated.Content.ReadFromJsonAsync<JsonElement>();
        using var published = await client.PostAsync("/admin/menu/publish", null);
        var stats = await client.GetFromJsonAsync<JsonElement>("/admin/stats");

        swaggerUi.StatusCode.ShouldBe(HttpStatusCode.OK);
        unauthorized.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        WeChatWire.Element(deliveries[0].GetProperty("body").GetString()!, "Content").ShouldBe("echo: 你好");
        published.StatusCode.ShouldBe(HttpStatusCode.OK);
        platform.Menus.Count.ShouldBe(1);
        stats.GetProperty("deliveries").GetProperty("Answered_on_delivery_1").GetInt64().ShouldBe(1);
        stats.GetProperty("dify").GetProperty("turns").GetInt32().ShouldBe(1);
    }
}
