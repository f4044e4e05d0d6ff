using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Turns;

/// <summary>
/// Caps concurrent Dify calls: per Dify app across every instance (<see cref="LimitsOptions.MaxConcurrentDifyCallsPerApp"/>,
/// a slot pool in the shared store, so a slow app cannot be flooded by several instances at once), and on this
/// instance (<see cref="LimitsOptions.MaxConcurrentDifyCalls"/>, a safety bound). A bounded number of turns may wait
/// for a slot; the rest are turned away at once with the busy text instead of piling up.
/// </summary>
/// <remarks>
/// A shared slot is a lease (<see cref="SlotLease"/>, renewed while the call runs), so the slots of an instance that
/// died come back within one lease. When the store cannot be reached the shared cap is skipped (logged) rather than
/// refusing every question: the per-instance cap still holds.
/// </remarks>
public sealed class DifyGate
{
    /// <summary>How long a shared slot lasts without renewal.</summary>
    public static readonly TimeSpan SlotLease = TimeSpan.FromSeconds(30);

    /// <summary>How often a held shared slot is renewed.</summary>
    public static readonly TimeSpan SlotRenewal = TimeSpan.FromSeconds(10);

    /// <summary>The longest pause between two tries for a shared slot.</summary>
    public static readonly TimeSpan MaxSlotPoll = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim slots;
    private readonly int maxWaiting;
    private readonly int sharedLimit;
    private readonly string poolKey;
    private readonly string instance = Guid.NewGuid().ToString("N");
    private readonly IStateStore store;
    private readonly TimeProvider time;
    private readonly ILogger<DifyGate> log;
    private int waiting;
    private int running;

    public DifyGate(IOptions<LimitsOptions> options, IOptions<DifyOptions> dify, IStateStore store, StoreKeys keys, TimeProvider time, ILogger<DifyGate> log)
    {
        slots = new SemaphoreSlim(options.Value.MaxConcurrentDifyCalls);
        maxWaiting = options.Value.MaxWaitingForDify;
        sharedLimit = options.Value.MaxConcurrentDifyCallsPerApp;
        poolKey = keys.DifySlots(AppId(dify.Value));
        this.store = store;
        this.time = time;
        this.log = log;
    }

    public int Waiting => Volatile.Read(ref waiting);

    public int Running => Volatile.Read(ref running);

    /// <summary>A Dify app named without its key: the base URL and a hash of the key.</summary>
    public static string AppId(DifyOptions dify) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{dify.BaseUrl?.TrimEnd('/')}\n{dify.ApiKey?.Trim()}")))[..16];

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

        (bool Full, string? Holder) shared;
        try
        {
            shared = await TakeSharedSlotAsync(ct);
        }
        catch
        {
            slots.Release();
            throw;
        }

        if (shared.Full)
        {
            slots.Release();
            return null;
        }

        var holder = shared.Holder;
        Interlocked.Increment(ref running);
        return new Slot(this, holder);
    }

    /// <summary>
    /// A slot in the app's shared pool (its holder id), waiting while every slot is taken; no holder when the cap is
    /// off or the store is down; full when too many turns already wait.
    /// </summary>
    private async Task<(bool Full, string? Holder)> TakeSharedSlotAsync(CancellationToken ct)
    {
        if (sharedLimit <= 0)
        {
            return (false, null);
        }

        var holder = $"{instance}:{Guid.NewGuid():N}";
        var pause = TimeSpan.FromMilliseconds(50);
        var counted = false;
        try
        {
            while (true)
            {
                try
                {
                    if (await store.TryTakeSlotAsync(poolKey, holder, sharedLimit, time.GetUtcNow(), SlotLease, ct))
                    {
                        return (false, holder);
                    }
                }
                catch (StoreUnavailableException ex)
                {
                    log.LogWarning("The store could not give out a shared Dify slot; calling Dify under this instance's cap only: {Reason}", ex.Message);
                    return (false, null);
                }

                if (!counted)
                {
                    counted = true;
                    if (Interlocked.Increment(ref waiting) > maxWaiting)
                    {
                        return (true, null);
                    }
                }

                await Task.Delay(pause, time, ct);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxSlotPoll.Ticks));
            }
        }
        finally
        {
            if (counted)
            {
                Interlocked.Decrement(ref waiting);
            }
        }
    }

    private void Release(string? holder)
    {
        Interlocked.Decrement(ref running);
        slots.Release();
        if (holder is not null)
        {
            _ = ReleaseSharedAsync(holder);
        }
    }

    private async Task ReleaseSharedAsync(string holder)
    {
        try
        {
            await store.ReleaseSlotAsync(poolKey, holder, CancellationToken.None);
        }
        catch (StoreUnavailableException ex)
        {
            // Its lease runs out within SlotLease anyway.
            log.LogInformation("Could not give a shared Dify slot back (it lapses by itself): {Reason}", ex.Message);
        }
    }

    private async Task RenewAsync(string holder)
    {
        try
        {
            await store.RenewSlotAsync(poolKey, holder, time.GetUtcNow(), SlotLease, CancellationToken.None);
        }
        catch (StoreUnavailableException)
        {
            // The next renewal tries again; a lapsed slot only lets one more call in for a while.
        }
    }

    private sealed class Slot : IDisposable
    {
        private readonly DifyGate gate;
        private readonly string? holder;
        private readonly ITimer? renewal;
        private int released;

        public Slot(DifyGate gate, string? holder)
        {
            this.gate = gate;
            this.holder = holder;
            renewal = holder is null ? null : gate.time.CreateTimer(_ => _ = gate.RenewAsync(holder), null, SlotRenewal, SlotRenewal);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                renewal?.Dispose();
                gate.Release(holder);
            }
        }
    }
}
