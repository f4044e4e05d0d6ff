using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WinterAI.Domain.Channels.OfficialAccount;
using WinterAI.Tests.Channels.OfficialAccount;

namespace WinterAI.Tests.Testing;

/// <summary>The fake's own promises, which end-to-end tests elsewhere rely on.</summary>
public sealed class FakeWeChatApiTests
{
    [Test]
    public async Task TheClassicTokenEndpointIssuesATokenTheApiAccepts()
    {
        await using var platform = new FakeWeChatApi();
        await platform.StartAsync();
        using var http = new HttpClient();

        var answer = await http.GetFromJsonAsync<JsonObject>($"{platform.BaseUrl}/cgi-bin/token?grant_type=client_credential&appid={platform.AppId}&secret={platform.AppSecret}");
        var token = answer!["access_token"]!.GetValue<string>();
        var typing = await http.PostAsync($"{platform.BaseUrl}/cgi-bin/message/custom/typing?access_token={token}", new StringContent("""{"touser":"o-1","command":"Typing"}"""));
        var unknown = await http.PostAsync($"{platform.BaseUrl}/cgi-bin/message/custom/typing?access_token=FAKE_ACCESS_TOKEN_NOPE", new StringContent("""{"touser":"o-1","command":"Typing"}"""));

        answer["expires_in"]!.GetValue<int>().ShouldBe(7200);
        (await typing.Content.ReadFromJsonAsync<JsonObject>())!["errcode"]!.GetValue<int>().ShouldBe(0);
        (await unknown.Content.ReadFromJsonAsync<JsonObject>())!["errcode"]!.GetValue<int>().ShouldBe(40001);
        platform.Typing.ShouldBe(["o-1"]);
        platform.TokenFetches.ShouldBe(1);
    }

    [Test]
    public async Task WaitForSendsCompletesWhenTheSendsArrive()
    {
        await using var platform = new FakeWeChatApi();
        await platform.StartAsync();
        await using var services = PlatformServices.Create(platform);
        var api = services.GetRequiredService<WeChatApiClient>();

        var sending = Task.Run(async () =>
        {
            await api.SendTextAsync("o-1", "one", CancellationToken.None);
            await api.SendTextAsync("o-2", "two", CancellationToken.None);
        });
        var sent = await platform.WaitForSendsAsync(2, TimeSpan.FromSeconds(10));
        await sending;

        sent.ShouldBe([("o-1", "one"), ("o-2", "two")]);
    }

    [Test]
    public async Task WaitForSendsSaysWhatArrivedWhenItTimesOut()
    {
        await using var platform = new FakeWeChatApi();
        await platform.StartAsync();
        await using var services = PlatformServices.Create(platform);
        await services.GetRequiredService<WeChatApiClient>().SendTextAsync("o-1", "only one", CancellationToken.None);

        var failure = await Should.ThrowAsync<TimeoutException>(() => platform.WaitForSendsAsync(2, TimeSpan.FromMilliseconds(50)));

        failure.Message.ShouldContain("got 1");
        failure.Message.ShouldContain("o-1: only one");
    }
}
