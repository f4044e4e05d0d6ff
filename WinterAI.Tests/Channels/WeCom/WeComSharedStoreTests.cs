using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.WeCom;

/// <summary>
/// Two real WinterAI processes behind one WeCom app, sharing a real redis-server and configured only through
/// environment variables: they must behave exactly like one instance.
/// </summary>
public sealed class WeComSharedStoreTests
{
    private static readonly WeComApp App = WeComApp.Default;

    [Test]
    public async Task ARetryOnTheOtherInstanceJoinsTheRunningTurnAndBothInstancesShareOneAccessToken()
    {
        await using var redis = await TestRedis.StartAsync();
        await using var dify = await FakeDifyServer.StartAsync();
        await using var api = await FakeWeComApi.StartAsync(App.CorpId, App.Secret);
        var configuration = App.Configuration(api.BaseUrl);
        configuration["Dify:BaseUrl"] = dify.BaseUrl;
        configuration["Dify:ApiKey"] = "app-env-key";
        configuration["Redis:Configuration"] = redis.ConnectionString;
        await using var a = await WinterAIProcess.StartAsync(configuration);
        await using var b = await WinterAIProcess.StartAsync(configuration);
        var viaA = new FakeWeCom(a.Client, App);
        var viaB = new FakeWeCom(b.Client, App);
        // Dify holds the first turn, so instance a keeps the runner and sends its answer; b then sends the second.
        dify.Gate = new TaskCompletionSource();
        var xml = viaA.TextXml("shared", "first", FakeWeCom.NewMsgId());

        var delivered = await viaA.PostAsync(xml);
        await dify.WaitForCallsAsync(1, Poll.DefaultDeadline);
        var retried = await viaB.PostAsync(xml);
        dify.Gate.SetResult();
        await api.WaitForSendsAsync(1);
        var other = await viaB.SendTextAsync("other", "second");
        var sent = await api.WaitForSendsAsync(2);

        delivered.IsReceived.ShouldBeTrue();
        retried.IsReceived.ShouldBeTrue();
        other.IsReceived.ShouldBeTrue();
        sent.Select(s => (s.ToUser, s.Content)).ShouldBe([("shared", "echo: first"), ("other", "echo: second")]);
        dify.ChatCallCount.ShouldBe(2);
        api.TokenRequests.ShouldBe(1);
        (a.Output + b.Output).ShouldNotContain(App.Secret);
    }
}
