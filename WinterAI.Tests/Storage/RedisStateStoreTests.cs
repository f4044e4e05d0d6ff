using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WinterAI.Domain;
using WinterAI.Domain.Storage;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Storage;

public sealed class RedisStateStoreTests
{
    [Test]
    public async Task ConnectsByHostNameAsWellAsByAddress()
    {
        await using var server = await TestRedis.StartAsync();
        await using var store = Create($"localhost:{server.Port}");

        await store.SetAsync("k", "by name", TimeSpan.FromMinutes(1));

        (await store.GetAsync("k")).ShouldBe("by name");
    }

    [Test]
    public async Task AddsNothingToTheKeysItIsGiven()
    {
        await using var server = await TestRedis.StartAsync();
        await using var store = Create(server.ConnectionString);
        var keys = new StoreKeys("winterai:");

        await store.SetAsync(keys.Claim(new Follower("gh_account", "o-1"), "msg-1"), "claimed", TimeSpan.FromMinutes(1));

        (await RawGetAsync(server, "winterai:{gh_account:o-1}:claim:msg-1")).ShouldBe("claimed");
    }

    [Test]
    public async Task DescribesItsEndpointsWithoutThePassword()
    {
        await using var store = Create("redis-a:6379,redis-b:6380,password=hunter2");

        store.Description.ShouldBe(new StoreDescription("redis", "redis-a:6379,redis-b:6380", SharedAcrossInstances: true));
    }

    [Test]
    public async Task DescribesASentinelSetBySentinelsAndServiceWithoutTheCredentials()
    {
        await using var store = Create("sentinel-a:26379,sentinel-b:26379,serviceName=winterai,user=acl-user,password=hunter2");

        store.Description.ShouldBe(new StoreDescription(
            "redis", "sentinel-a:26379,sentinel-b:26379 (Sentinel service winterai)", SharedAcrossInstances: true));
    }

    [Test]
    public void RefusesAnEmptyConfiguration() =>
        Should.Throw<InvalidOperationException>(() => Create(""));

    [Test]
    public async Task ADisposedStoreRefusesCalls()
    {
        var store = Create("127.0.0.1:1");

        await store.DisposeAsync();

        await Should.ThrowAsync<ObjectDisposedException>(() => store.PingAsync());
    }

    private static RedisStateStore Create(string configuration) =>
        new(Options.Create(new RedisOptions { Configuration = configuration }), TimeProvider.System, NullLogger<RedisStateStore>.Instance);

    /// <summary>Reads a key with a bare RESP client, bypassing the store under test.</summary>
    private static async Task<string?> RawGetAsync(RedisServer server, string key)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, server.Port);
        var stream = client.GetStream();
        var command = $"*2\r\n$3\r\nGET\r\n${Encoding.UTF8.GetByteCount(key)}\r\n{key}\r\n";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(command));
        using var reader = new StreamReader(stream);
        var header = await reader.ReadLineAsync();
        return header == "$-1" ? null : await reader.ReadLineAsync();
    }
}
