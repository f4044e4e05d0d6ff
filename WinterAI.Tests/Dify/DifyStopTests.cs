using WinterAI.Domain.Dify;

namespace WinterAI.Tests.Dify;

public sealed class DifyStopTests
{
    FakeDifyServer server = null!;
    DifyTestHost host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        server = await FakeDifyServer.StartAsync();
        host = DifyTestHost.For(server);
    }

    [TearDown]
    public async Task StopAsync()
    {
        host.Dispose();
        await server.DisposeAsync();
    }

    [Test]
    public async Task ProgressCarriesTheTaskIdThatStoppingTakes()
    {
        var taskIds = new List<string?>();

        await host.Client.ChatAsync(new DifyChatRequest("q", "user-1", null), (progress, _) =>
        {
            taskIds.Add(progress.TaskId);
            return ValueTask.CompletedTask;
        }, CancellationToken.None);

        taskIds.ShouldNotBeEmpty();
        taskIds.ShouldAllBe(id => id == "task-1");
    }

    [Test]
    public async Task StopsATaskWithTheUserWhoStartedIt()
    {
        await host.Client.StopAsync("task-42", "user-1", CancellationToken.None);

        var call = server.Calls.ShouldHaveSingleItem();
        call.IsStop.ShouldBeTrue();
        call.Path.ShouldBe("/v1/chat-messages/task-42/stop");
        call.User.ShouldBe("user-1");
        call.Authorization.ShouldBe($"Bearer {DifyTestHost.ApiKey}");
    }

    [Test]
    public async Task CountsStoppingATaskDifyNoLongerKnowsAsDone()
    {
        server.Behaviour = (_, context) => FakeDifySse.ErrorAsync(context, 404, "not_found", "Task not found");

        await host.Client.StopAsync("task-gone", "user-1", CancellationToken.None);

        server.Calls.ShouldHaveSingleItem().IsStop.ShouldBeTrue();
    }

    [Test]
    public async Task FailsToStopWhenDifyRefusesTheKey()
    {
        server.RequiredApiKey = "app-other";

        var ex = await Should.ThrowAsync<DifyException>(() => host.Client.StopAsync("task-1", "user-1", CancellationToken.None));

        ex.Failure.ShouldBe(DifyFailure.Misconfigured);
    }
}
