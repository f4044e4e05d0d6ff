using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Turns;

/// <summary>
/// Keeps the answer so far of every running turn in the shared store while Dify streams it: written at most every
/// <see cref="WriteInterval"/> and at every paragraph end, never shorter than what was written before. Best effort: a
/// store that is down costs the live view, never the turn.
/// </summary>
public sealed class PartialAnswers(IStateStore store, StoreKeys keys, IOptions<DifyOptions> difyOptions, TimeProvider time, ILogger<PartialAnswers> log)
{
    private TimeProvider Time => time;

    /// <summary>How often, at most, a growing answer is written to the store.</summary>
    public static readonly TimeSpan WriteInterval = TimeSpan.FromMilliseconds(300);

    public async Task<PartialAnswer?> GetAsync(Follower follower, string messageKey, CancellationToken ct)
    {
        var json = await store.GetAsync(keys.Partial(follower, messageKey), ct);
        return json is null ? null : JsonSerializer.Deserialize(json, DeliveryJsonContext.Default.PartialAnswer);
    }

    /// <summary>Starts keeping one turn's answer so far.</summary>
    public Writer Start(Follower follower, string messageKey) => new(this, follower, messageKey);

    /// <summary>Outlives the turn by a minute: long enough for a reader to see it finish, then the turn record takes over.</summary>
    private TimeSpan Ttl => difyOptions.Value.Timeout + TimeSpan.FromMinutes(1);

    private async Task WriteAsync(Follower follower, string messageKey, PartialAnswer partial, CancellationToken ct)
    {
        try
        {
            await store.SetAsync(keys.Partial(follower, messageKey), JsonSerializer.Serialize(partial, DeliveryJsonContext.Default.PartialAnswer), Ttl, ct);
        }
        catch (StoreUnavailableException ex)
        {
            log.LogDebug("Could not keep the answer so far: {Reason}", ex.Message);
        }
    }

    /// <summary>
    /// One turn's answer so far. Text held back by the interval is written when the interval is over even if Dify then
    /// pauses, so a reader never waits on a pause for what already arrived.
    /// </summary>
    public sealed class Writer(PartialAnswers owner, Follower follower, string messageKey)
    {
        private readonly SemaphoreSlim gate = new(1, 1);
        private string shown = "";
        private string latest = "";
        private long lastWrite;
        private bool replaced;
        private bool finished;
        private ITimer? catchUp;

        /// <summary>Notes Dify's progress; writes it when the interval has passed or a paragraph ended (the first text at once).</summary>
        public async ValueTask UpdateAsync(DifyProgress progress, CancellationToken ct)
        {
            await gate.WaitAsync(ct);
            try
            {
                // A message_replace rewrites what was said; readers rely on the text only growing, so the live view stops there.
                replaced |= progress.Replaced;
                if (finished || replaced || progress.AnswerSoFar.Length <= shown.Length)
                {
                    return;
                }

                latest = progress.AnswerSoFar;
                var waited = owner.Time.GetElapsedTime(lastWrite);
                if (shown.Length == 0 || waited >= WriteInterval || latest.EndsWith("\n\n", StringComparison.Ordinal))
                {
                    await WriteAsync(latest, ct);
                }
                else
                {
                    catchUp ??= owner.Time.CreateTimer(_ => _ = CatchUpAsync(), null, WriteInterval - waited, Timeout.InfiniteTimeSpan);
                }
            }
            finally
            {
                gate.Release();
            }
        }

        /// <summary>The turn is over (answered, failed or stopped): marked finished; its record now holds the whole answer.</summary>
        public async Task FinishAsync()
        {
            await gate.WaitAsync();
            try
            {
                finished = true;
                await WriteAsync(latest.Length > shown.Length ? latest : shown, CancellationToken.None);
            }
            finally
            {
                gate.Release();
            }
        }

        private async Task CatchUpAsync()
        {
            await gate.WaitAsync();
            try
            {
                if (!finished && !replaced && latest.Length > shown.Length)
                {
                    await WriteAsync(latest, CancellationToken.None);
                }
            }
            finally
            {
                gate.Release();
            }
        }

        private async Task WriteAsync(string text, CancellationToken ct)
        {
            catchUp?.Dispose();
            catchUp = null;
            shown = text;
            lastWrite = owner.Time.GetTimestamp();
            await owner.WriteAsync(follower, messageKey, new PartialAnswer(text, finished), ct);
        }
    }
}
