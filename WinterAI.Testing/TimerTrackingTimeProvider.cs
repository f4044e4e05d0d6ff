using Microsoft.Extensions.Time.Testing;

namespace WinterAI.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also lists its pending timers, so a test can wait until the code under test
/// has armed the timer it is about to advance past (a retry delay, a read timeout) instead of advancing too early.
/// Timers created from it — so also <c>Task.Delay(…, provider)</c> and <c>WaitAsync(…, provider)</c> — fire inside
/// <see cref="FakeTimeProvider.Advance"/>, as with the plain fake.
/// </summary>
public sealed class TimerTrackingTimeProvider : FakeTimeProvider
{
    private readonly Lock gate = new();
    private readonly HashSet<TrackedTimer> scheduled = [];

    public TimerTrackingTimeProvider()
    {
    }

    public TimerTrackingTimeProvider(DateTimeOffset start)
        : base(start)
    {
    }

    /// <summary>How far in the future each scheduled timer fires, soonest first.</summary>
    public IReadOnlyList<TimeSpan> PendingTimers
    {
        get
        {
            var now = GetUtcNow();
            lock (gate)
            {
                return scheduled.Select(t => t.DueAt - now).Order().ToList();
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new TrackedTimer(this);
        timer.Inner = base.CreateTimer(s =>
        {
            timer.Fired();
            callback(s);
        }, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class TrackedTimer(TimerTrackingTimeProvider owner) : ITimer
    {
        private TimeSpan period;

        public ITimer Inner { get; set; } = null!;

        public DateTimeOffset DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var now = owner.GetUtcNow();
            lock (owner.gate)
            {
                owner.scheduled.Remove(this);
                this.period = period;
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueAt = now + dueTime;
                    owner.scheduled.Add(this);
                }
            }

            // Outside the lock: a zero due time fires the callback at once.
            return Inner.Change(dueTime, period);
        }

        /// <summary>Called as the fake fires the timer, before its callback.</summary>
        public void Fired()
        {
            lock (owner.gate)
            {
                owner.scheduled.Remove(this);
                if (period > TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
                {
                    DueAt += period;
                    owner.scheduled.Add(this);
                }
            }
        }

        public void Dispose()
        {
            lock (owner.gate)
            {
                owner.scheduled.Remove(this);
            }

            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
