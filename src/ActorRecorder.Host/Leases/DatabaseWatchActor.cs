using ActorRecorder.Engine.Channel;
using ActorRecorder.Host.Leases.Internal;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace ActorRecorder.Host.Leases;

/// <summary>
/// How this cluster node stands with the database its leases are in: for readiness, the metrics, and the run loop, which
/// waits for the database to answer a node that gave its channels up before it rejoins.
/// </summary>
public sealed class DatabaseHealth
{
    private volatile string? _reason;
    private volatile Func<TimeSpan>? _unreachableFor;

    /// <summary>Why the node gave its channels up (it could not reach the database while other members could); null while it has not.</summary>
    public string? GaveUp => _reason;

    /// <summary>How long every lease statement of this node has failed; zero while the last one succeeded (and on a node without leases).</summary>
    public TimeSpan UnreachableFor => _unreachableFor?.Invoke() ?? TimeSpan.Zero;

    internal void Watch(Func<TimeSpan> unreachableFor) => _unreachableFor = unreachableFor;

    internal void GiveUp(string reason) => _reason = reason;
}

/// <summary>
/// Watches whether this cluster node reaches the database its leases are in, and answers the others' same question.
/// A node whose every lease statement has failed for give-up-after (its leases are lost by then, so its channels record
/// nowhere) asks the other Up members whether they reach the database; if one does, the fault is this node's: it downs
/// itself, the coordinator places its channels on the others (their leases expired after the ttl), and the run loop
/// brings it back once the database answers it. If no member reaches the database it is an outage, and nobody leaves.
/// </summary>
internal sealed class DatabaseWatchActor : ReceiveActor, IWithTimers
{
    public const string Name = "database-watch";

    /// <summary>How often the watch looks, and how long a member has to answer.</summary>
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    private readonly PostgresLeaseStore _store;
    private readonly TimeSpan _giveUpAfter;
    private readonly DatabaseHealth _giveUp;
    private readonly ActorSystem _system = Context.System;
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _asking;
    private bool _outageLogged;

    public DatabaseWatchActor(PostgresLeaseStore store, TimeSpan giveUpAfter, DatabaseHealth giveUp)
    {
        _store = store;
        _giveUpAfter = giveUpAfter;
        _giveUp = giveUp;
        giveUp.Watch(() => store.UnreachableFor);
        Receive<Look>(_ => LookNow());
        Receive<Answers>(OnAnswers);
        ReceiveAsync<GetDatabaseContact>(async _ =>
        {
            var sender = Sender;
            // A node whose lease statements fail does not reach it; otherwise a trivial query, now, decides.
            var reaches = _store.UnreachableFor == TimeSpan.Zero && await _store.ProbeAsync(Every);
            sender.Tell(new DatabaseContact(reaches));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PostgresLeaseStore store, TimeSpan giveUpAfter, DatabaseHealth giveUp) =>
        Akka.Actor.Props.Create(() => new DatabaseWatchActor(store, giveUpAfter, giveUp));

    protected override void PreStart() => Timers.StartPeriodicTimer(nameof(Look), Look.Instance, Every);

    private void LookNow()
    {
        var unreachable = _store.UnreachableFor;
        if (unreachable == TimeSpan.Zero)
        {
            _outageLogged = false;
            return;
        }
        if (_asking || unreachable < _giveUpAfter || _giveUp.GaveUp is not null)
        {
            return;
        }
        var others = _cluster.State.Members.Where(m => m.Status == MemberStatus.Up && m.Address != _cluster.SelfAddress).Select(m => m.Address).ToList();
        _asking = true;
        AskAsync(others, unreachable).PipeTo(Self);
    }

    private async Task<Answers> AskAsync(List<Address> others, TimeSpan unreachable)
    {
        var answers = await Task.WhenAll(others.Select(async address =>
        {
            try
            {
                var contact = await _system.ActorSelection(new RootActorPath(address) / "user" / Name)
                    .Ask<DatabaseContact>(new GetDatabaseContact(), Every * 2).ConfigureAwait(false);
                return (address, contact.Reaches);
            }
            catch (Exception)
            {
                return (address, false); // a member that does not answer is no evidence either way
            }
        })).ConfigureAwait(false);
        return new Answers(unreachable, answers.Where(a => a.Item2).Select(a => a.address).ToList(), others.Count);
    }

    private void OnAnswers(Answers answers)
    {
        _asking = false;
        if (_store.UnreachableFor == TimeSpan.Zero)
        {
            return; // it answered meanwhile
        }
        if (answers.Reaching.Count == 0)
        {
            if (!_outageLogged)
            {
                _log.Warning("PostgreSQL on {0} has not answered this node for {1:0.0} s, nor any of the {2} other member(s): "
                    + "an outage, not this node's fault; keeping this node in the cluster", _store.Database, answers.Unreachable.TotalSeconds, answers.Asked);
                _outageLogged = true;
            }
            return;
        }
        var reason = $"PostgreSQL on {_store.Database} has not answered this node for {answers.Unreachable.TotalSeconds:0.0} s "
            + $"while {string.Join(", ", answers.Reaching)} reach(es) it";
        _log.Error("{0}: giving this node's channels up to the others (leaving the cluster; it rejoins once the database answers it)", reason);
        _giveUp.GiveUp(reason);
        _cluster.Down(_cluster.SelfAddress);
    }

    private sealed record Look
    {
        public static Look Instance { get; } = new();
    }

    private sealed record Answers(TimeSpan Unreachable, IReadOnlyList<Address> Reaching, int Asked);
}
