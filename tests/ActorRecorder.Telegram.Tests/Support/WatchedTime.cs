using Microsoft.Extensions.Time.Testing;

namespace ActorRecorder.Telegram.Tests.Support;

/// <summary>
/// Virtual time that says when the code under test starts waiting. A spec advances the clock only once the wait it
/// means to end exists (<see cref="NextTimer"/>): an advance made before the code creates its timer would be lost, and
/// the wait would never end. Timers fire inside <see cref="FakeTimeProvider.Advance"/>, so after an advance short of a
/// timer's due time nothing that timer guards can have happened, whatever the machine's load.
/// </summary>
public sealed class WatchedTime : FakeTimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<(TimeSpan Due, TaskCompletionSource Created)> _waiting = [];

    public WatchedTime() : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Completes when, after this call, a timer due in exactly <paramref name="due"/> is created.</summary>
    public Task NextTimer(TimeSpan due)
    {
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiting.Add((due, created));
        }
        return created.Task;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        List<TaskCompletionSource> created;
        lock (_lock)
        {
            created = [.. _waiting.Where(w => w.Due == dueTime).Select(w => w.Created)];
            _waiting.RemoveAll(w => w.Due == dueTime);
        }
        foreach (var waiter in created)
        {
            waiter.TrySetResult();
        }
        return timer;
    }
}
