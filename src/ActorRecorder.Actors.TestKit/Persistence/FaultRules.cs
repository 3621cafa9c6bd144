namespace ActorRecorder.Actors.TestKit.Persistence;

/// <summary>
/// Pending fault rules of one kind (e.g. "fail writes"): each applies to the next <c>count</c>
/// operations whose event matches its predicate, optionally after a delay. Thread-safe.
/// </summary>
internal sealed class FaultRules
{
    private readonly Lock _gate = new();
    private readonly List<Rule> _rules = [];

    public void Add(int count, Func<object, bool>? when, TimeSpan? delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (_gate)
        {
            _rules.Add(new Rule(count, when, delay));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>Consumes one use of the first rule matching any of <paramref name="events"/> (no predicate matches anything).</summary>
    public bool TryTake(IEnumerable<object>? events, out TimeSpan delay)
    {
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                if (rule.When is null || (events is not null && events.Any(rule.When)))
                {
                    delay = rule.Delay ?? TimeSpan.Zero;
                    if (--rule.Remaining == 0)
                    {
                        _rules.Remove(rule);
                    }
                    return true;
                }
            }
        }
        delay = TimeSpan.Zero;
        return false;
    }

    /// <summary>True when some rule has a predicate (so the events must be looked at).</summary>
    public bool HasPredicates
    {
        get
        {
            lock (_gate)
            {
                return _rules.Exists(r => r.When is not null);
            }
        }
    }

    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _rules.Count == 0;
            }
        }
    }

    public static Func<object, bool>? Typed<T>(Func<T, bool>? when) =>
        e => e is T typed && (when is null || when(typed));

    private sealed class Rule(int remaining, Func<object, bool>? when, TimeSpan? delay)
    {
        public int Remaining { get; set; } = remaining;

        public Func<object, bool>? When { get; } = when;

        public TimeSpan? Delay { get; } = delay;
    }
}
