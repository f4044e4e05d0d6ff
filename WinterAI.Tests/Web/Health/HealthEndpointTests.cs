using System.Net;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Web.Health;

/// <summary>What a load balancer and the container healthcheck read: the exact bodies and status codes.</summary>
public sealed class HealthEndpointTests
{
    private FakeDifyServer dify = null!;

    [SetUp]
    public async Task StartAsync() => dify = await FakeDifyServer.StartAsync();

    [TearDown]
    public async Task StopAsync() => await dify.DisposeAsync();

    private Dictionary<string, string?> Configuration(Action<Dictionary<string, string?>>? change = null)
    {
        var configuration = new Dictionary<string, string?>(WeChatAccount.Default.Configuration())
        {
            ["Dify:BaseUrl"] = dify.BaseUrl,
            ["Dify:ApiKey"] = "app-health-test",
        };
        change?.Invoke(configuration);
        return configuration;
    }

    [Test]
    public async Task LivenessAnswersOkAsPlainTextWhateverTheStoreAndDify()
    {
        await using var host = new WinterAIHost(Configuration(c =>
        {
            c["Redis:Configuration"] = "127.0.0.1:1";
            c["Dify:BaseUrl"] = "http://127.0.0.1:1";
        }));
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/healthz");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        (await response.Content.ReadAsStringAsync()).ShouldBe("ok");
    }

    [Test]
    public async Task ReadinessIs200WithEveryStatusOkWhenTheStoreAndDifyAnswer()
    {
        await using var host = new WinterAIHost(Configuration());
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/readyz");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("application/json; charset=utf-8");
        (await response.Content.ReadAsStringAsync()).ShouldBe("""{"ready":true,"store":"in-memory","storeStatus":"ok","dify":"ok"}""");
    }

    [TestCase("Redis:Configuration", "127.0.0.1:1", """{"ready":false,"store":"redis","storeStatus":"unreachable","dify":"ok"}""")]
    [TestCase("Dify:BaseUrl", "http://127.0.0.1:1", """{"ready":false,"store":"in-memory","storeStatus":"ok","dify":"unreachable"}""")]
    [TestCase("Dify:ApiKey", null, """{"ready":false,"store":"in-memory","storeStatus":"ok","dify":"not configured"}""")]
    public async Task ReadinessIs503NamingWhatIsNotReady(string key, string? value, string expected)
    {
        await using var host = new WinterAIHost(Configuration(c =>
        {
            c[key] = value;
            c["Redis:OperationTimeout"] = "00:00:00.2";
        }));
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/readyz");

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).ShouldBe(expected);
    }

    [Test]
    public async Task AnUnreadyProbeWritesNoErrorLineEachTimeItIsAsked()
    {
        await using var host = await KestrelWinterAI.StartAsync(Configuration(c => c["Dify:ApiKey"] = null));
        using var client = host.CreateClient();

        for (var probe = 0; probe < 3; probe++)
        {
            using var response = await client.GetAsync("/readyz");
            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        }

        host.Logs.Lines.ShouldNotContain(l => l.StartsWith("Error", StringComparison.Ordinal));
    }
}
