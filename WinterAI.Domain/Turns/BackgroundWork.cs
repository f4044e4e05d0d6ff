using System.Collections.Concurrent;

namespace WinterAI.Domain.Turns;

/// <summary>
/// Work started by a request but not tied to it (the request may be abandoned or answered at once), which the host's
/// shutdown still waits for: running work may finish within the host's shutdown timeout, and only then is it
/// cancelled. Once shutdown has let the running work finish or cancelled it, no new work starts.
/// </summary>
public sealed class BackgroundWork(TimeProvider time)
{
    /// <summary>How long cancelled work gets to clean up (release locks, log) before shutdown goes on without it.</summary>
    private static readonly TimeSpan ReleaseGrace = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<Task, byte> running = new();

    /// <summary>True once <see cref="StopAsync"/> has let the running work finish or cancelled it: nothing new starts any more.</summary>
    public bool IsStopping => stopping.IsCancellationRequested;

    /// <summary>
    /// Starts <paramref name="work"/> on the thread pool with a token that fires when shutdown cancels it. False, and
    /// nothing started, once shutdown has begun.
    /// </summary>
    public bool TryRun(Func<CancellationToken, Task> work)
    {
        if (stopping.IsCancellationRequested)
        {
            return false;
        }

        var run = Task.Run(() => work(stopping.Token), CancellationToken.None);
        running.TryAdd(run, 0);
        _ = run.ContinueWith(finished => running.TryRemove(finished, out _), TaskScheduler.Default);
        return true;
    }

    /// <summary>
    /// Lets running work finish until <paramref name="cancellationToken"/> (the host's shutdown timeout) fires, then
    /// cancels it and waits up to <see cref="ReleaseGrace"/> for it to clean up.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(running.Keys).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await stopping.CancelAsync();
            await Task.WhenAny(Task.WhenAll(running.Keys), Task.Delay(ReleaseGrace, time));
        }
        finally
        {
            await stopping.CancelAsync();
        }
    }
}
