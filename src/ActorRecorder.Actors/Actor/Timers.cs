using ActorRecorder.Actors.Internal;

namespace ActorRecorder.Actors;

/// <summary>
/// Keyed timers that send messages to the actor itself. Starting a timer with a key that is in use
/// replaces it, and a message from a cancelled or replaced timer is never delivered, even if it was
/// already in the mailbox. All timers are cancelled when the actor restarts or stops.
/// Use only from inside the actor.
/// </summary>
public interface ITimerScheduler
{
    void StartSingleTimer(object key, object message, TimeSpan timeout);

    void StartPeriodicTimer(object key, object message, TimeSpan interval);

    void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval);

    bool IsTimerActive(object key);

    void Cancel(object key);

    void CancelAll();

    IReadOnlyCollection<object> ActiveTimers { get; }
}

/// <summary>An actor with timers; the kernel sets <see cref="Timers"/> when it creates the instance.</summary>
public interface IWithTimers
{
    ITimerScheduler Timers { get; set; }
}

internal sealed record TimerMessage(object Key, int Generation, object Message, TimerScheduler Owner) : IAutoReceivedMessage;

internal sealed class TimerScheduler(ActorCell cell) : ITimerScheduler
{
    private readonly Dictionary<object, (int Generation, bool Repeat, ITimer Timer)> _timers = [];
    private int _generation;

    public IReadOnlyCollection<object> ActiveTimers => _timers.Keys.ToArray();

    public void StartSingleTimer(object key, object message, TimeSpan timeout) =>
        Start(key, message, timeout, Timeout.InfiniteTimeSpan);

    public void StartPeriodicTimer(object key, object message, TimeSpan interval) =>
        Start(key, message, interval, interval);

    public void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        Start(key, message, initialDelay, interval);
    }

    private void Start(object key, object message, TimeSpan due, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        Cancel(key);
        var generation = ++_generation;
        var envelope = new TimerMessage(key, generation, message, this);
        var timer = cell.System.Time.CreateTimer(
            static state =>
            {
                var (target, msg) = ((ActorCell, TimerMessage))state!;
                target.SendMessage(msg, null);
            },
            (cell, envelope), due < TimeSpan.Zero ? TimeSpan.Zero : due, period);
        _timers[key] = (generation, period != Timeout.InfiniteTimeSpan, timer);
    }

    public bool IsTimerActive(object key) => _timers.ContainsKey(key);

    public void Cancel(object key)
    {
        if (_timers.Remove(key, out var entry))
        {
            entry.Timer.Dispose();
        }
    }

    public void CancelAll()
    {
        foreach (var entry in _timers.Values)
        {
            entry.Timer.Dispose();
        }
        _timers.Clear();
    }

    /// <summary>True when the message comes from the timer currently registered under its key.</summary>
    internal bool TryConsume(TimerMessage message)
    {
        if (!_timers.TryGetValue(message.Key, out var entry) || entry.Generation != message.Generation)
        {
            return false;
        }
        if (!entry.Repeat)
        {
            _timers.Remove(message.Key);
            entry.Timer.Dispose();
        }
        return true;
    }
}
