using Microsoft.Extensions.Options;

namespace WinterAI.Domain.Turns;

/// <summary>
/// Caps concurrent Dify calls on this instance; a bounded number of turns may wait for a slot, the rest are
/// turned away at once with the busy text instead of piling up.
/// </summary>
public sealed class DifyGate
{
    private readonly SemaphoreSlim slots;
    private readonly int maxWaiting;
    private int waiting;
    private int running;

    public DifyGate(IOptions<LimitsOptions> options)
    {
        slots = new SemaphoreSlim(options.Value.MaxConcurrentDifyCalls);
        maxWaiting = options.Value.MaxWaitingForDify;
    }

    public int Waiting => Volatile.Read(ref waiting);

    public int Running => Volatile.Read(ref running);

    /// <summary>A slot to release when the call is done, or null when too many turns are already waiting.</summary>
    public async Task<IDisposable?> EnterAsync(CancellationToken ct)
    {
        if (!slots.Wait(0))
        {
            if (Interlocked.Increment(ref waiting) > maxWaiting)
            {
                Interlocked.Decrement(ref waiting);
                return null;
            }

            try
            {
                await slots.WaitAsync(ct);
            }
            finally
            {
                Interlocked.Decrement(ref waiting);
            }
        }

        Interlocked.Increment(ref running);
        return new Slot(this);
    }

    private sealed class Slot(DifyGate gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                Interlocked.Decrement(ref gate.running);
                gate.slots.Release();
            }
        }
    }
}
