using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace WinterAI.Domain.Delivery;

/// <summary>
/// Hands the host's shutdown to <see cref="TurnRunner"/> without creating it at start-up: resolving the runner
/// early would resolve the store before start-up validation could report a bad <c>Redis:*</c> key by name.
/// </summary>
public sealed class TurnRunnerShutdown(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => services.GetRequiredService<TurnRunner>().StopAsync(cancellationToken);
}
