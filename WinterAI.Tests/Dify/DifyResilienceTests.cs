using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using WinterAI.Domain.Dify;

namespace WinterAI.Tests.Dify;

public class DifyResilienceTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    FakeDifyServer server = null!;

    [SetUp]
    public async Task StartFakeDify() => server = await FakeDifyServer.StartAsync();

    [TearDown]
    public async Task StopFakeDify() => await server.DisposeAsync();

    [Test]
    public async Task WaitsTheRetryAfterSecondsBeforeRetryingA429()
    {
        var clock = new TimerTrackingTimeProvider();
        using var host = DifyTestHost.For(server, clock, ("MaxRetryDelay", "00:01:00"), ("Timeout", "00:10:00"));
        server.Behaviour = (call, context) => server.ChatCallCount == 1
            ? FakeDifySse.ErrorAsync(context, 429, "too_many_requests", "Too many requests.", retryAfter: "20")
            : server.RespondAsDifyAsync(call, context);

        var turn = host.AskAsync("q");
        await Eventually.HoldsAsync(() => clock.PendingTimers.Contains(TimeSpan.FromSeconds(20)), Patience,
            "the retry is scheduled 20 s out");
        clock.Advance(TimeSpan.FromSeconds(19));
        server.ChatCallCount.ShouldBe(1);
        clock.Advance(TimeSpan.FromSeconds(1));

        (await turn).Text.ShouldBe("echo: q");
        server.ChatCallCount.ShouldBe(2);
        host.Logs.Lines.ShouldContain(line => line.Contains("retrying in 00:00:20"));
        host.Recorder.Sum("winterai.dify.retries", "reason", "429").ShouldBe(1);
        host.Recorder.Sum("winterai.dify.rate_limited").ShouldBe(1);
    }

    [Test]
    public async Task WaitsUntilTheRetryAfterDateBeforeRetryingA429()
    {
        var clock = new TimerTrackingTimeProvider();
        using var host = DifyTestHost.For(server, clock, ("MaxRetryDelay", "00:01:00"), ("Timeout", "00:10:00"));
        var retryAt = clock.GetUtcNow().AddSeconds(30).ToString("R");
        server.Behaviour = (call, context) => server.ChatCallCount == 1
            ? FakeDifySse.ErrorAsync(context, 429, "too_many_requests", "Too many requests.", retryAfter: retryAt)
            : server.RespondAsDifyAsync(call, context);

        var turn = host.AskAsync("q");
        await Eventually.HoldsAsync(() => clock.PendingTimers.Contains(TimeSpan.FromSeconds(30)), Patience,
            "the retry is scheduled for the HTTP-date, 30 s out");
        clock.Advance(TimeSpan.FromSeconds(30));

        (await turn).Text.ShouldBe("echo: q");
        host.Logs.Lines.ShouldContain(line => line.Contains("retrying in 00:00:30"));
    }

    [Test]
    public async Task RetriesA429AfterTheRealDelayInRetryAfter()
    {
        using var host = DifyTestHost.For(server);
        server.Behaviour = (call, context) => server.ChatCallCount == 1
            ? FakeDifySse.ErrorAsync(context, 429, "too_many_requests", "Too many requests.", retryAfter: "1")
            : server.RespondAsDifyAsync(call, context);

        var answer = await host.AskAsync("q");

        answer.Text.ShouldBe("echo: q");
        var calls = server.Calls;
        calls.Count.ShouldBe(2);
        // RetryBaseDelay is 1 ms, so only Retry-After can account for a gap this long.
        (calls[1].ReceivedAt - calls[0].ReceivedAt).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950));
    }

    [Test]
    public async Task CapsRetryAfterAtMaxRetryDelay()
    {
        using var host = DifyTestHost.For(server, ("MaxRetryDelay", "00:00:00.050"));
        server.Behaviour = (call, context) => server.ChatCallCount == 1
            ? FakeDifySse.ErrorAsync(context, 429, "too_many_requests", "Too many requests.", retryAfter: "3600")
            : server.RespondAsDifyAsync(call, context);

        var answer = await host.AskAsync("q");

        answer.Text.ShouldBe("echo: q");
        server.ChatCallCount.ShouldBe(2);
    }

    [Test]
    public async Task FailsWithRateLimitedWhen429OutlastsEveryRetry()
    {
        using var host = DifyTestHost.For(server, ("MaxRetries", "2"));
        server.Behaviour = (_, context) => FakeDifySse.ErrorAsync(context, 429, "too_many_requests", "Too many requests.");

        var ex = await Should.ThrowAsync<DifyException>(() => host.AskAsync("q"));

        ex.Failure.ShouldBe(DifyFailure.RateLimited);
        ex.HttpStatus.ShouldBe(429);
        server.ChatCallCount.ShouldBe(3);
        host.Recorder.Sum("winterai.dify.rate_limited").ShouldBe(3);
        host.Recorder.Sum("winterai.dify.retries").ShouldBe(2);
        host.Recorder.Count("winterai.dify.failures", "failure", "rate_limited").ShouldBe(1);
    }

    [Test]
    public async Task RetriesA500AndThenAnswers()
    {
        using var host = DifyTestHost.For(server);
        server.Behaviour = (call, context) => server.ChatCallCount == 1
            ? FakeDifySse.ErrorAsync(context, 500, "internal_server_error", "The server encountered an internal error.")
            : server.RespondAsDifyAsync(call, context);

        var answer = await host.AskAsync("q");

        answer.Text.ShouldBe("echo: q");
        server.ChatCallCount.ShouldBe(2);
        host.Recorder.Sum("winterai.dify.retries", "reason", "5xx").ShouldBe(1);
    }

    [Test]
    public async Task RetriesAProxyErrorPageThatIsNotJson()
    {
        using var host = DifyTestHost.For(server);
        server.Behaviour = async (call, context) =>
        {
            if (server.ChatCallCount > 1)
            {
                await server.RespondAsDifyAsync(call, context);
                return;
            }

            context.Response.StatusCode = 502;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html><body>502 Bad Gateway</body></html>");
        };

        var answer = await host.AskAsync("q");

        answer.Text.ShouldBe("echo: q");
    }

    [Test]
    public async Task FailsWithUnavailableWhen5xxOutlastsEveryRetry()
    {
        using var host = DifyTestHost.For(server, ("MaxRetries", "2"));
        server.Behaviour = (_, context) => FakeDifySse.ErrorAsync(context, 503, "unavailable", "down");

        var ex = await Should.ThrowAsync<DifyException>(() => host.AskAsync("q"));

        ex.Failure.ShouldBe(DifyFailure.Unavailable);
        server.ChatCallCount.ShouldBe(3);
    }

    [Test]
    public async Task FailsWithUnavailableAfterRetryingARefusedConnection()
    {
        using var host = DifyTestHost.For($"http://127.0.0.1:{ClosedPort()}/v1", ("MaxRetries", "2"));

        var ex = await Should.ThrowAsync<DifyException>(() => host.AskAsync("q"));

        ex.Failure.ShouldBe(DifyFailure.Unavailable);
        host.Recorder.Sum("winterai.dify.retries", "reason", "connection").ShouldBe(2);
        ex.ToString().ShouldNotContain(DifyTestHost.ApiKey);
    }

    [Test]
    public async Task TimesOutAnAttemptWhoseHeadersNeverComeAndDoesNotRetryIt()
    {
        var clock = new TimerTrackingTimeProvider();
        using var host = DifyTestHost.For(server, clock, ("AttemptTimeout", "00:00:10"), ("Timeout", "00:10:00"));
        server.Behaviour = (_, context) => FakeDifySse.StaySilentAsync(context);

        var turn = host.AskAsync("q");
        await server.WaitForCallsAsync(1, Patience);
        await Eventually.HoldsAsync(() => clock.PendingTimers.Contains(TimeSpan.FromSeconds(10)), Patience,
            "the attempt timeout is armed");
        clock.Advance(TimeSpan.FromSeconds(10));

        var ex = await Should.ThrowAsync<DifyException>(() => turn);
        ex.Failure.ShouldBe(DifyFailure.Timeout);
        ex.Message.ShouldContain("00:00:10");
        server.ChatCallCount.ShouldBe(1);
        host.Recorder.Count("winterai.dify.duration", "outcome", "timeout").ShouldBe(1);
    }

    [Test]
    public async Task TimesOutAnAttemptInRealTime()
    {
        using var host = DifyTestHost.For(server, ("AttemptTimeout", "00:00:00.300"));
        server.Behaviour = (_, context) => FakeDifySse.StaySilentAsync(context);

        var ex = await Should.ThrowAsync<DifyException>(() => host.AskAsync("q"));

        ex.Failure.ShouldBe(DifyFailure.Timeout);
        server.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task TimesOutAStreamThatFallsSilentForLongerThanTheAttemptTimeout()
    {
        var clock = new TimerTrackingTimeProvider();
        using var host = DifyTestHost.For(server, clock, ("AttemptTimeout", "00:00:10"), ("Timeout", "00:10:00"));
        server.Behaviour = async (_, context) =>
        {
            await FakeDifySse.BeginStreamAsync(context);
            await FakeDifySse.SendEventAsync(context, FakeDifySse.Message("thinking…", "conv-1"));
            await FakeDifySse.StaySilentAsync(context);
        };
        var firstChunk = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var turn = host.AskAsync("q", onProgress: (_, _) =>
        {
            firstChunk.TrySetResult();
            return ValueTask.CompletedTask;
        });
        await firstChunk.Task.WaitAsync(Patience);
        await Eventually.HoldsAsync(() => clock.PendingTimers.Contains(TimeSpan.FromSeconds(10)), Patience,
            "the idle timer is armed for the next read");
        clock.Advance(TimeSpan.FromSeconds(10));

        var ex = await Should.ThrowAsync<DifyException>(() => turn);
        ex.Failure.ShouldBe(DifyFailure.Timeout);
        ex.Message.ShouldContain("silent");
        server.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task KeepsASlowStreamAliveWhilePingsArriveAndEndsTheTurnAtTheWholeTurnTimeout()
    {
        using var host = DifyTestHost.For(server, ("AttemptTimeout", "00:00:00.400"), ("Timeout", "00:00:01.500"));
        server.Behaviour = (_, context) => FakeDifySse.PingForeverAsync(context, TimeSpan.FromMilliseconds(50));
        var started = TimeProvider.System.GetTimestamp();

        var ex = await Should.ThrowAsync<DifyException>(() => host.AskAsync("q"));

        ex.Failure.ShouldBe(DifyFailure.Timeout);
        // Pings kept the 400 ms idle timeout from firing; only the 1.5 s turn timeout ended it.
        TimeProvider.System.GetElapsedTime(started).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1400));
        server.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task BoundsRetryDelaysByTheWholeTurnTimeout()
    {
        var clock = new TimerTrackingTimeProvider();
        using var host = DifyTestHost.For(server, clock, ("MaxRetryDelay", "00:05:00"), ("Timeout", "00:01:00"));
        server.Behaviour = (_, context) => FakeDifySse.ErrorAsync(context, 503, "unavailable", "down", retryAfter: "120");

        var turn = host.AskAsync("q");
        await Eventually.HoldsAsync(() => clock.PendingTimers.Contains(TimeSpan.FromSeconds(120)), Patience,
            "the retry is scheduled 120 s out");
        clock.Advance(TimeSpan.FromSeconds(60));

        var ex = await Should.ThrowAsync<DifyException>(() => turn);
        ex.Failure.ShouldBe(DifyFailure.Timeout);
        ex.Message.ShouldContain("00:01:00");
        server.ChatCallCount.ShouldBe(1);
    }

    [Test]
    public async Task OpensTheCircuitAfterRepeatedFailuresAndThenFailsFastWithoutCallingDify()
    {
        using var host = DifyTestHost.For(server, ("MaxRetries", "0"), ("CircuitMinimumThroughput", "2"));
        server.Behaviour = (_, context) => FakeDifySse.ErrorAsync(context, 500, "internal_server_error", "boom");

        (await Should.ThrowAsync<DifyException>(() => host.AskAsync("q1"))).Failure.ShouldBe(DifyFailure.Unavailable);
        (await Should.ThrowAsync<DifyException>(() => host.AskAsync("q2"))).Failure.ShouldBe(DifyFailure.Unavailable);
        host.Metrics.IsCircuitOpen.ShouldBeTrue();

        var ex = await Should.ThrowAsync<DifyException>(() => host.AskAsync("q3"));

        ex.Failure.ShouldBe(DifyFailure.Unavailable);
        ex.Message.ShouldContain("paused");
        server.ChatCallCount.ShouldBe(2);
        host.Recorder.Observe("winterai.dify.circuit_open").ShouldBe(1);
    }

    [Test]
    public async Task DoesNotOpenTheCircuitFor4xxOr429()
    {
        using var host = DifyTestHost.For(server, ("MaxRetries", "0"), ("CircuitMinimumThroughput", "2"));
        server.Behaviour = (_, context) => server.ChatCallCount % 2 == 0
            ? FakeDifySse.ErrorAsync(context, 429, "too_many_requests", "slow down")
            : FakeDifySse.ErrorAsync(context, 400, "invalid_param", "bad");

        for (var i = 0; i < 4; i++)
        {
            await Should.ThrowAsync<DifyException>(() => host.AskAsync("q"));
        }

        server.ChatCallCount.ShouldBe(4);
        host.Metrics.IsCircuitOpen.ShouldBeFalse();
        host.Recorder.Observe("winterai.dify.circuit_open").ShouldBe(0);
    }

    static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
