namespace ActorRecorder.Actors;

/// <summary>Something scheduled that can be cancelled.</summary>
public interface ICancelable
{
    void Cancel();

    bool IsCancellationRequested { get; }
}

/// <summary>
/// Delayed and periodic sends, driven by the system's <see cref="TimeProvider"/> so tests can run on
/// virtual time. A message whose receiver is gone goes to dead letters like any other.
/// </summary>
public interface IScheduler
{
    TimeProvider Time { get; }

    ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender);

    ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender);

    /// <summary>Runs <paramref name="action"/> on the thread pool after <paramref name="delay"/>.</summary>
    ICancelable ScheduleOnce(TimeSpan delay, Action action);
}

internal sealed class TimeProviderScheduler(TimeProvider time) : IScheduler
{
    public TimeProvider Time { get; } = time;

    public ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender) =>
        Schedule(delay, Timeout.InfiniteTimeSpan, () => receiver.Tell(message, sender), once: true);

    public ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return Schedule(initialDelay, interval, () => receiver.Tell(message, sender), once: false);
    }

    public ICancelable ScheduleOnce(TimeSpan delay, Action action) =>
        Schedule(delay, Timeout.InfiniteTimeSpan, action, once: true);

    private TimerCancelable Schedule(TimeSpan due, TimeSpan period, Action action, bool once)
    {
        var cancelable = new TimerCancelable(action, once);
        cancelable.Start(Time, due < TimeSpan.Zero ? TimeSpan.Zero : due, period);
        return cancelable;
    }

    private sealed class TimerCancelable(Action action, bool once) : ICancelable
    {
        private ITimer? _timer;
        private int _cancelled;

        public bool IsCancellationRequested => Volatile.Read(ref _cancelled) == 1;

        public void Start(TimeProvider time, TimeSpan due, TimeSpan period)
        {
            var timer = time.CreateTimer(static s => ((TimerCancelable)s!).Fire(), this, due, period);
            Interlocked.Exchange(ref _timer, timer);
            if (IsCancellationRequested)
            {
                timer.Dispose();
            }
        }

        private void Fire()
        {
            if (IsCancellationRequested)
            {
                return;
            }
            if (once)
            {
                Cancel();
            }
            action();
        }

        public void Cancel()
        {
            Interlocked.Exchange(ref _cancelled, 1);
            Volatile.Read(ref _timer)?.Dispose();
        }
    }
}
