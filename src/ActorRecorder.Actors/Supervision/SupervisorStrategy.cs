using ActorRecorder.Actors.Internal;

namespace ActorRecorder.Actors;

/// <summary>
/// Decides what happens to a failed child. The decider is the one place that says which failures
/// resume, restart, stop or escalate; retries are limited to <see cref="MaxNrOfRetries"/> within
/// <see cref="WithinTimeRange"/>, after which the child is stopped.
/// </summary>
public abstract class SupervisorStrategy
{
    protected SupervisorStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider)
    {
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        Decider = decider;
    }

    /// <summary>-1 means no limit.</summary>
    public int MaxNrOfRetries { get; }

    /// <summary>Zero or infinite means the window never resets.</summary>
    public TimeSpan WithinTimeRange { get; }

    public Func<Exception, Directive> Decider { get; }

    /// <summary>Akka's default decider: initialisation failures, Kill and death pacts stop; all else restarts.</summary>
    public static Directive DefaultDecider(Exception cause) => cause switch
    {
        ActorInitializationException => Directive.Stop,
        ActorKilledException => Directive.Stop,
        DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>One-for-one with the default decider and unlimited restarts.</summary>
    public static SupervisorStrategy DefaultStrategy { get; } = new OneForOneStrategy(DefaultDecider);

    /// <summary>Stops any failing child.</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>The children a restart or stop applies to when <paramref name="failed"/> failed.</summary>
    internal abstract IEnumerable<ActorCell> Affected(ActorCell supervisor, ActorCell failed);

    /// <summary>
    /// Applies the directive: a resume to the failed child only; a restart (while the failed child's retry
    /// budget lasts, else a stop) or a stop to every affected child.
    /// </summary>
    internal void Handle(ActorCell supervisor, ActorCell child, Exception cause, Directive directive)
    {
        if (directive == Directive.Resume)
        {
            child.SendSystem(new SysResume());
            return;
        }
        var restart = directive == Directive.Restart && RequestRestartPermission(supervisor.StatsOf(child), supervisor.NowTicks);
        foreach (var affected in Affected(supervisor, child))
        {
            if (restart)
            {
                affected.SendSystem(new SysRecreate(cause));
            }
            else
            {
                supervisor.StopChild(affected);
            }
        }
    }

    /// <summary>Counts a restart; false when the retry budget is used up and the child must stop.</summary>
    internal bool RequestRestartPermission(ChildStats stats, long nowTicks)
    {
        if (MaxNrOfRetries < 0)
        {
            return true;
        }
        if (MaxNrOfRetries == 0)
        {
            return false;
        }
        var window = WithinTimeRange;
        if (window > TimeSpan.Zero && window != Timeout.InfiniteTimeSpan)
        {
            if (stats.WindowStartTicks == 0 || nowTicks - stats.WindowStartTicks > window.Ticks)
            {
                stats.WindowStartTicks = nowTicks;
                stats.RetriesInWindow = 0;
            }
        }
        stats.RetriesInWindow++;
        return stats.RetriesInWindow <= MaxNrOfRetries;
    }
}

/// <summary>The directive applies to the failed child only.</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    public OneForOneStrategy(Func<Exception, Directive> decider) : this(-1, Timeout.InfiniteTimeSpan, decider) { }

    public OneForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider)
        : base(maxNrOfRetries, withinTimeRange, decider) { }

    internal override IEnumerable<ActorCell> Affected(ActorCell supervisor, ActorCell failed) => [failed];
}

/// <summary>The directive applies to every child of the supervisor (a resume only to the failed one).</summary>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    public AllForOneStrategy(Func<Exception, Directive> decider) : this(-1, Timeout.InfiniteTimeSpan, decider) { }

    public AllForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider)
        : base(maxNrOfRetries, withinTimeRange, decider) { }

    internal override IEnumerable<ActorCell> Affected(ActorCell supervisor, ActorCell failed) => supervisor.ChildCells();
}
