using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WinterAI.Domain;
using WinterAI.Domain.Storage;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Storage;

public sealed class StorageServiceCollectionExtensionsTests
{
    [Test]
    public async Task WithoutRedisConfigurationTheStoreIsInMemory()
    {
        using var host = await StartAsync([]);

        host.Services.GetRequiredService<IStateStore>().ShouldBeOfType<InMemoryStateStore>();
        host.Services.GetRequiredService<StoreDescription>().ShouldBe(StoreDescription.InMemory);
    }

    [Test]
    public async Task WithRedisConfigurationTheStoreIsRedisEvenWhileRedisIsUnreachable()
    {
        using var host = await StartAsync(new() { ["Redis:Configuration"] = "127.0.0.1:1,password=hunter2" });

        host.Services.GetRequiredService<IStateStore>().ShouldBeOfType<RedisStateStore>();
        host.Services.GetRequiredService<StoreDescription>().ShouldBe(new StoreDescription("redis", "127.0.0.1:1", SharedAcrossInstances: true));
    }

    [Test]
    public async Task TheStoreIsOneSharedInstance()
    {
        using var host = await StartAsync(new() { ["Redis:Configuration"] = "127.0.0.1:1" });

        host.Services.GetRequiredService<IStateStore>().ShouldBeSameAs(host.Services.GetRequiredService<IStateStore>());
        host.Services.GetRequiredService<IStateStore>().ShouldBeSameAs(host.Services.GetRequiredService<RedisStateStore>());
    }

    [Test]
    public async Task TheRegisteredRedisStoreWorksAgainstARealServer()
    {
        await using var server = await TestRedis.StartAsync();
        using var host = await StartAsync(new() { ["Redis:Configuration"] = server.ConnectionString });
        var store = host.Services.GetRequiredService<IStateStore>();
        var keys = host.Services.GetRequiredService<StoreKeys>();

        await store.SetAsync(keys.Conversation("gh_account", "openid"), "conv-id", TimeSpan.FromMinutes(1));

        (await store.GetAsync("winterai:{gh_account:openid}:conv")).ShouldBe("conv-id");
    }

    [Test]
    public async Task StoreKeysUseTheConfiguredPrefix()
    {
        using var host = await StartAsync(new() { ["Redis:KeyPrefix"] = "staging:" });

        host.Services.GetRequiredService<StoreKeys>().Claim(new Follower("acc", "o-1"), "42").ShouldBe("staging:{acc:o-1}:claim:42");
    }

    [Test]
    public async Task OptionsAreBoundFromTheRedisSection()
    {
        using var host = await StartAsync(new()
        {
            ["Redis:ConversationTtl"] = "3.00:00:00",
            ["Redis:AnswerTtl"] = "12:00:00",
            ["Redis:MessageTtl"] = "00:05:00",
            ["Redis:OperationTimeout"] = "00:00:00.5",
        });

        var options = host.Services.GetRequiredService<IOptions<RedisOptions>>().Value;
        options.ConversationTtl.ShouldBe(TimeSpan.FromDays(3));
        options.AnswerTtl.ShouldBe(TimeSpan.FromHours(12));
        options.MessageTtl.ShouldBe(TimeSpan.FromMinutes(5));
        options.OperationTimeout.ShouldBe(TimeSpan.FromMilliseconds(500));
    }

    [Test]
    public async Task AnEarlierTimeProviderIsKept()
    {
        var clock = new FakeTimeProvider();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddStateStore();
        using var host = builder.Build();
        await host.StartAsync();

        host.Services.GetRequiredService<TimeProvider>().ShouldBeSameAs(clock);
        await host.StopAsync();
    }

    [TestCase("Configuration", "nonsense=1", "Redis:Configuration")]
    [TestCase("Configuration", "redis://:hunter2@cache:6379", "Redis:Configuration")]
    [TestCase("Configuration", "cache:6379,connectTimeout=soon", "Redis:Configuration")]
    [TestCase("KeyPrefix", "has space", "Redis:KeyPrefix")]
    [TestCase("ConversationTtl", "00:00:01", "Redis:ConversationTtl")]
    [TestCase("AnswerTtl", "00:00:00", "Redis:AnswerTtl")]
    [TestCase("MessageTtl", "-00:10:00", "Redis:MessageTtl")]
    [TestCase("OperationTimeout", "00:00:00", "Redis:OperationTimeout")]
    public async Task AnInvalidSettingStopsStartUpNamingTheKey(string setting, string value, string key)
    {
        var error = await Should.ThrowAsync<OptionsValidationException>(() => StartAsync(new() { [$"Redis:{setting}"] = value }));

        error.Message.ShouldContain(key);
    }

    private const string UseHostPort =
        "use 'host:port,password=...' (with 'user=...' for an ACL user, 'ssl=true' for TLS, 'serviceName=...' for Sentinel).";

    [TestCase("redis://:hunter2@cache:6379")]
    [TestCase("rediss://default:hunter2@cache:6380")]
    [TestCase(" REDIS://cache:6379")]
    public async Task AUriConfigurationIsRefusedSayingWhichFormToUse(string configuration)
    {
        var error = await Should.ThrowAsync<OptionsValidationException>(() => StartAsync(new() { ["Redis:Configuration"] = configuration }));

        error.Message.ShouldContain(
            "Redis:Configuration must not be a redis:// or rediss:// URI: the client reads it as a host name, so its password "
            + "would show in health checks and logs; " + UseHostPort);
    }

    [TestCase("default:hunter2@cache:6379")]
    [TestCase(":hunter2@cache:6379")]
    [TestCase("cache:6379:hunter2")]
    [TestCase("cache:6379,other:hunter2@cache-b:6379")]
    public async Task AnEndpointCarryingAPasswordIsRefusedWithoutRepeatingIt(string configuration)
    {
        var error = await Should.ThrowAsync<OptionsValidationException>(() => StartAsync(new() { ["Redis:Configuration"] = configuration }));

        error.Message.ShouldContain(
            "Redis:Configuration has an endpoint that is not a plain host:port (it contains '@', '/' or a second ':'), which would "
            + "show a password in health checks and logs; " + UseHostPort);
        error.Message.ShouldNotContain("hunter2");
    }

    [Test]
    public async Task AConfigurationWithoutEndpointsIsRefusedSayingWhichFormToUse()
    {
        var error = await Should.ThrowAsync<OptionsValidationException>(() => StartAsync(new() { ["Redis:Configuration"] = "password=hunter2" }));

        error.Message.ShouldContain("Redis:Configuration names no host:port endpoint; " + UseHostPort);
    }

    [Test]
    public async Task AnUnparsableOptionIsRefusedNamingTheKeyword()
    {
        var error = await Should.ThrowAsync<OptionsValidationException>(() =>
            StartAsync(new() { ["Redis:Configuration"] = "cache:6379,connectTimeout=soon" }));

        error.Message.ShouldContain("Redis:Configuration is not a valid StackExchange.Redis configuration string (");
        error.Message.ShouldContain("connectTimeout");
        error.Message.ShouldContain(UseHostPort);
    }

    [TestCase("cache:6379,user=winterai,password=hunter2")]
    [TestCase("cache:6380,password=hunter2,ssl=true")]
    [TestCase("sentinel-a:26379,sentinel-b:26379,sentinel-c:26379,serviceName=winterai,password=hunter2")]
    [TestCase("node-a:7000,node-b:7001,node-c:7002")]
    [TestCase("[::1]:6379")]
    public async Task AcceptsAclUsersTlsSentinelClusterAndIpv6(string configuration)
    {
        using var host = await StartAsync(new() { ["Redis:Configuration"] = configuration, ["Redis:OperationTimeout"] = "00:00:00.100" });

        host.Services.GetRequiredService<IOptions<RedisOptions>>().Value.Configuration.ShouldBe(configuration);
        await host.StopAsync();
    }

    [Test]
    public async Task AnInvalidConfigurationIsReportedWithoutItsPassword()
    {
        var error = await Should.ThrowAsync<OptionsValidationException>(() =>
            StartAsync(new() { ["Redis:Configuration"] = "cache:6379,password=hunter2,connectTimeout=soon" }));

        error.Message.ShouldNotContain("hunter2");
    }

    [Test]
    public void DefaultsMatchTheDesign()
    {
        var options = new RedisOptions();

        options.Configuration.ShouldBeEmpty();
        options.UsesRedis.ShouldBeFalse();
        options.KeyPrefix.ShouldBe("winterai:");
        options.ConversationTtl.ShouldBe(TimeSpan.FromDays(7));
        options.AnswerTtl.ShouldBe(TimeSpan.FromHours(24));
        options.MessageTtl.ShouldBe(TimeSpan.FromMinutes(10));
        options.OperationTimeout.ShouldBe(TimeSpan.FromSeconds(2));
    }

    private static async Task<IHost> StartAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddStateStore();
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }
}
