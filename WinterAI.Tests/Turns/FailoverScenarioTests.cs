using WinterAI.Domain.Storage;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Turns;

/// <summary>
/// Redis failing over under traffic: a Cluster master killed, a Sentinel master killed, and a <c>SENTINEL FAILOVER</c>,
/// each while two real WinterAI processes answer a stream of followers. Nothing may be lost, Dify may not be asked
/// anything twice, and no follower may wait long once Redis has a master again. The figures are printed.
/// </summary>
[NonParallelizable]
public sealed class FailoverScenarioTests
{
    private const int Followers = 12;
    private static readonly WeChatAccount Account = WeChatAccount.Default;

    /// <summary>"A few seconds": at most one runner lease, on a busy 2-core machine (a few hundred milliseconds to 3 s here).</summary>
    private static readonly TimeSpan LongestAcceptableWait = StoreLease.Duration;

    /// <summary>
    /// Sentinel with <c>min-replicas-to-write 1</c>: the new master refuses writes (NOREPLICAS) until the sentinels have
    /// pointed another server at it and it has synced — 0–3 s after a kill on a quiet machine, 6–15 s after a manual
    /// failover or under load. Followers get the busy text meanwhile (nothing is lost); the README says so.
    /// </summary>
    private static readonly TimeSpan LongestAcceptableWaitWithSentinel = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan PromotionDeadline = TimeSpan.FromSeconds(30);

    private FakeDifyServer dify = null!;

    [SetUp]
    public async Task StartDifyAsync() => dify = await FakeDifyServer.StartAsync();

    [TearDown]
    public async Task StopDifyAsync() => await dify.DisposeAsync();

    private Dictionary<string, string?> Configuration(string redis) => new(Account.Configuration())
    {
        ["WeChat:ReplyWindow"] = "00:00:01",
        ["WeChat:HoldLimit"] = "00:00:05",
        ["Dify:BaseUrl"] = dify.BaseUrl,
        ["Dify:ApiKey"] = "app-test-key",
        ["Dify:RetryBaseDelay"] = "00:00:00.01",
        ["Redis:Configuration"] = redis,
        ["Redis:OperationTimeout"] = "00:00:00.5",
        ["Limits:PerMinute"] = "100000",
        ["Limits:PerDay"] = "100000",
    };

    [Test]
    public async Task AClusterMasterKilledUnderTrafficLosesNothingAndAsksDifyNothingTwice()
    {
        await using var cluster = await TestRedis.StartClusterAsync();
        var (master, replica) = await cluster.MasterWithReplicaAsync();

        await RunDrillAsync(cluster.ConnectionString, async () =>
        {
            await master.StopAsync();
            return async () => await RedisCluster.WaitUntilMasterAsync(replica, PromotionDeadline);
        });
    }

    [Test]
    public async Task ASentinelMasterKilledUnderTrafficLosesNothingAndAsksDifyNothingTwice()
    {
        await using var sentinels = await TestRedis.StartSentinelSetAsync();

        await RunDrillAsync(
            sentinels.ConnectionString,
            async () =>
            {
                await sentinels.Master.StopAsync();
                return async () => await sentinels.WaitForNewMasterAsync(sentinels.Master.Port, PromotionDeadline);
            },
            LongestAcceptableWaitWithSentinel);
    }

    [Test]
    public async Task ASentinelFailoverUnderTrafficLosesNothingAndAsksDifyNothingTwice()
    {
        await using var sentinels = await TestRedis.StartSentinelSetAsync();

        await RunDrillAsync(
            sentinels.ConnectionString,
            async () =>
            {
                await sentinels.FailoverAsync();
                return async () => await sentinels.WaitForNewMasterAsync(sentinels.Master.Port, PromotionDeadline);
            },
            LongestAcceptableWaitWithSentinel);
    }

    /// <summary>
    /// Followers talk for a while, <paramref name="fail"/> breaks the deployment (and hands back how to wait for the
    /// promotion), followers go on talking until everyone has been answered twice more, then stop.
    /// </summary>
    private async Task RunDrillAsync(string redis, Func<Task<Func<Task>>> fail, TimeSpan? longestAcceptableWait = null)
    {
        var acceptableWait = longestAcceptableWait ?? LongestAcceptableWait;
        await using var a = await WinterAIProcess.StartAsync(Configuration(redis));
        await using var b = await WinterAIProcess.StartAsync(Configuration(redis));
        var drill = new FailoverDrill(a, b, dify, Account, Followers);
        drill.Start();
        (await drill.WaitForAnswersAsync(2)).ShouldBeTrue("every follower was answered twice before the failure");

        var failedAt = drill.Now;
        var promoted = await fail();
        await promoted();
        var promotedAt = drill.Now;
        var answeredBefore = drill.Questions.Count(q => q.AnsweredAt is not null) / Followers;
        var allAnsweredAfter = await drill.WaitForAnswersAsync(answeredBefore + 3);
        await drill.StopAsync();

        var report = $"{TestContext.CurrentContext.Test.Name}: {drill.Report(failedAt, promotedAt)}";
        TestContext.Out.WriteLine(report);
        foreach (var lost in drill.Questions.Where(q => q.AnsweredAt is null).Take(3))
        {
            TestContext.Out.WriteLine($"lost {lost.Text}:\n  " + string.Join("\n  ", lost.Trail));
        }

        foreach (var (text, calls) in drill.DuplicateDifyCalls().Take(3))
        {
            var asked = drill.Questions.FirstOrDefault(q => text.StartsWith(q.Text + "-", StringComparison.Ordinal) || text == q.Text);
            TestContext.Out.WriteLine($"{text} went to Dify {calls} times:\n  " + string.Join("\n  ", asked?.Trail ?? []));
        }

        if (drill.Questions.Any(q => q.AnsweredAt is null) || drill.DuplicateDifyCalls().Count > 0 || drill.LongestWaitAfter(promotedAt) >= acceptableWait)
        {
            TestContext.Out.WriteLine($"instance a:\n{a.Output}\ninstance b:\n{b.Output}");
        }
        drill.Questions.Where(q => q.AnsweredAt is null).ShouldBeEmpty(report);
        allAnsweredAfter.ShouldBeTrue(report);
        drill.DuplicateDifyCalls().ShouldBeEmpty(report);
        drill.LongestWaitAfter(promotedAt).ShouldBeLessThan(acceptableWait, report);
    }
}
