namespace ActorRecorder.Media.Tests.Processes;

/// <summary>A log that lines are added to from any thread, and that a spec awaits a line from (a phase barrier, not a sleep).</summary>
internal sealed class LogLines
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<Waiter> _waiters = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line) && --w.Remaining == 0).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult(line);
            }
        }
    }

    /// <summary>The <paramref name="count"/>th line that matches, logged before or after this call; fails after <see cref="WatchdogFixture.Patience"/> naming <paramref name="phase"/>.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, string phase, int count = 1)
    {
        var waiter = new Waiter(match, count);
        lock (_gate)
        {
            waiter.Remaining -= _lines.Count(match);
            if (waiter.Remaining <= 0)
            {
                return _lines.Where(match).ElementAt(count - 1);
            }
            _waiters.Add(waiter);
        }
        if (await Task.WhenAny(waiter.Done.Task, Task.Delay(WatchdogFixture.Patience)) != waiter.Done.Task)
        {
            Assert.Fail($"{phase}: no such log line after {WatchdogFixture.Patience.TotalSeconds} s; the log:\n{string.Join('\n', Lines)}");
        }
        return await waiter.Done.Task;
    }

    private sealed class Waiter(Func<string, bool> match, int count)
    {
        public Func<string, bool> Match { get; } = match;

        public int Remaining { get; set; } = count;

        public TaskCompletionSource<string> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
