namespace ActorRecorder.Platforms.Gate;

/// <summary>
/// A concurrency limit that adapts to the error rate (additive increase, multiplicative decrease):
/// each failure halves the limit (never below <see cref="GateOptions.MinLimit"/>), each run of
/// <see cref="GateOptions.SuccessesToGrow"/> successes raises it by one (never above the maximum).
/// Waiters are admitted in arrival order. Thread-safe.
/// </summary>
public sealed class AdaptiveGate(GateOptions options)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<TaskCompletionSource<Lease>> _waiting = new();
    private int _limit = options.InitialLimit;
    private int _inFlight;
    private int _successes;

    public int CurrentLimit
    {
        get
        {
            lock (_gate)
            {
                return _limit;
            }
        }
    }

    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Waits for a place; dispose the lease after reporting the outcome on it.</summary>
    public Task<Lease> EnterAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<Lease> waiter;
        LinkedListNode<TaskCompletionSource<Lease>> node;
        lock (_gate)
        {
            if (_inFlight < _limit && _waiting.Count == 0)
            {
                _inFlight++;
                return Task.FromResult(new Lease(this));
            }
            waiter = new TaskCompletionSource<Lease>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiting.AddLast(waiter);
        }
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    if (node.List is not null)
                    {
                        _waiting.Remove(node);
                    }
                }
                waiter.TrySetCanceled(cancellationToken);
            });
            waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return waiter.Task;
    }

    private void Release(bool? succeeded)
    {
        var admitted = new List<TaskCompletionSource<Lease>>();
        lock (_gate)
        {
            _inFlight--;
            if (succeeded == true && ++_successes >= options.SuccessesToGrow)
            {
                _successes = 0;
                _limit = Math.Min(options.MaxLimit, _limit + 1);
            }
            else if (succeeded == false)
            {
                _successes = 0;
                _limit = Math.Max(options.MinLimit, _limit / 2);
            }
            while (_inFlight < _limit && _waiting.First is { } first)
            {
                _waiting.RemoveFirst();
                _inFlight++;
                admitted.Add(first.Value);
            }
        }
        foreach (var waiter in admitted)
        {
            if (!waiter.TrySetResult(new Lease(this)))
            {
                Release(null); // cancelled meanwhile: give the place back
            }
        }
    }

    /// <summary>A place in the gate. Report the call's outcome, then dispose (an unreported lease counts as neither).</summary>
    public sealed class Lease(AdaptiveGate owner) : IDisposable
    {
        private bool? _outcome;
        private int _released;

        public void Succeeded() => _outcome = true;

        public void Failed() => _outcome = false;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(_outcome);
            }
        }
    }
}
