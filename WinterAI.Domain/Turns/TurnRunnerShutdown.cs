using Microsoft.Extensions.Hosting;

namespace WinterAI.Domain.Turns;

/// <summary>
/// Hands the host's shutdown to <see cref="TurnRunner"/> without creating it at start-up: resolving the runner
/// early would resolve the store before start-up validation could report a bad <c>Redis:*</c> key by name. The
/// runner attaches itself when it is first created; a host that never ran a turn has nothing to stop.
/// </summary>
public sealed class TurnRunnerShutdown : IHostedService
{
    private TurnRunner? runner;

    public void Attach(TurnRunner created) => Volatile.Write(ref runner, created);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Volatile.Read(ref runner)?.StopAsync(cancellationToken) ?? Task.CompletedTask;
}
