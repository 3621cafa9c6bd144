using ActorRecorder.Engine.Channel;
using ActorRecorder.Host.Leases.Internal;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using RecorderCluster = ActorRecorder.Engine.Settings.ClusterSettings;

namespace ActorRecorder.Host.Leases;

/// <summary>
/// How this cluster node stands with the database its leases are in: for readiness, the metrics, and the run loop, which
/// waits for the database to answer a node that gave its channels up before it rejoins.
/// </summary>
public sealed class DatabaseHealth
{
    private volatile string? _reason;
    private volatile Func<TimeSpan>? _unreachableFor;
    private volatile Func<int>? _riddenOut;

    /// <summary>Why the node gave its channels up (it could not reach the database while other members could); null while it has not.</summary>
    public string? GaveUp => _reason;

    /// <summary>How long every lease statement of this node has failed; zero while the last one succeeded (and on a node without leases).</summary>
    public TimeSpan UnreachableFor => _unreachableFor?.Invoke() ?? TimeSpan.Zero;

    /// <summary>How many of this node's leases are held past their validity through a database outage (ride-out).</summary>
    public int RiddenOut => _riddenOut?.Invoke() ?? 0;

    internal void Watch(Func<TimeSpan> unreachableFor, Func<int> riddenOut)
    {
        _unreachableFor = unreachableFor;
        _riddenOut = riddenOut;
    }

    internal void GiveUp(string reason) => _reason = reason;
}

/// <summary>
/// Watches whether this cluster node reaches the database its leases are in, and answers the others' same question.
/// A node whose every lease statement has failed for give-up-after asks the other Up members whether they reach the
/// database (and its own last try fails too), the fault is this node's: it stops riding its leases out (its channels
/// stop), then leaves the cluster, the coordinator places its channels on the others (their leases expired after the ttl), and the run loop
/// brings it back once the database answers it. If no member reaches the database it is an outage: nobody leaves, and
/// while the cluster stays whole (<see cref="WholeCluster"/>) the leases are ridden out (PostgresLeaseStore.RideOut.cs).
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
    private readonly bool _majoritySuffices;
    private bool _asking;
    private bool _outageLogged;

    public DatabaseWatchActor(PostgresLeaseStore store, RecorderCluster settings, DatabaseHealth giveUp)
    {
        _store = store;
        _giveUpAfter = settings.LeaseGiveUpAfter;
        _giveUp = giveUp;
        // keep-majority downs the minority side; with the lease-majority strategy the side holding the resolver's lease
        // (in the very database that is down) would win, so there every member must be reachable.
        _majoritySuffices = settings.Downing == "keep-majority";
        giveUp.Watch(() => store.UnreachableFor, () => store.RiddenOut);
        store.RideOutWhile(settings.LeaseRideOut, WholeCluster);
        Receive<Look>(_ => LookNow());
        Receive<Answers>(OnAnswers);
        // A graceful leave: the others hear of it by gossip at once (a node that downs itself shuts down before they do, so they
        // notice it only by failure detection and stable-after); its shards, already stopped, are handed off.
        Receive<Leave>(_ => _cluster.Leave(_cluster.SelfAddress));
        ReceiveAsync<GetDatabaseContact>(async _ =>
        {
            var sender = Sender;
            // A node whose lease statements fail does not reach it; otherwise a trivial query, now, decides.
            var reaches = _store.UnreachableFor == TimeSpan.Zero && await _store.ProbeAsync(Every);
            sender.Tell(new DatabaseContact(reaches));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PostgresLeaseStore store, RecorderCluster settings, DatabaseHealth giveUp) =>
        Akka.Actor.Props.Create(() => new DatabaseWatchActor(store, settings, giveUp));

    protected override void PreStart() => Timers.StartPeriodicTimer(nameof(Look), Look.Instance, Every);

    /// <summary>
    /// Whether this node stands in a whole cluster, so that no other node could be handed its shards: it is Up, and the
    /// counted members (Up or Leaving) it hears on time — not unreachable in the gossip, and heartbeats within the failure
    /// detector's pause — are a strict majority (keep-majority) or all of them (lease-majority), and it has not given its
    /// channels up. Called on the lease-expiry thread: reads only the cluster's published state and the failure detector.
    /// </summary>
    private bool WholeCluster()
    {
        if (_giveUp.GaveUp is not null || _system.WhenTerminated.IsCompleted)
        {
            return false;
        }
        var state = _cluster.State;
        var self = _cluster.SelfAddress;
        var counted = state.Members.Where(m => m.Status is MemberStatus.Up or MemberStatus.Leaving).ToList();
        if (!counted.Any(m => m.Address == self && m.Status == MemberStatus.Up))
        {
            return false;
        }
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var heard = counted.Count(m => m.Address == self || (!unreachable.Contains(m.Address) && _cluster.FailureDetector.IsAvailable(m.Address)));
        return _majoritySuffices ? heard * 2 > counted.Count : heard == counted.Count;
    }

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
        // Before blaming itself, this node asks the database once more, meanwhile (on a fresh connection: after a restart, the
        // pool's connections fail once each): a database coming back answers the members one after another.
        var selfProbe = _store.ProbeAsync(Every, fresh: true);
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
        var reaching = answers.Where(a => a.Item2).Select(a => a.address).ToList();
        var selfStillFails = !await selfProbe.ConfigureAwait(false);
        return new Answers(unreachable, reaching, others.Count, selfStillFails);
    }

    private void OnAnswers(Answers answers)
    {
        _asking = false;
        if (_store.UnreachableFor == TimeSpan.Zero)
        {
            return; // it answered meanwhile
        }
        if (answers.Reaching.Count > 0 && !answers.SelfStillFails)
        {
            return; // it answers this node too now (a database coming back reaches the members one after another)
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
        // Its leases (held through what looked like an outage) are lost now and their shards stop their ffmpeg (within tens of
        // milliseconds); the node leaves a moment later, so its channels have stopped before the others can be given them
        // (they also wait for the leader to remove it, down-removal-margin after the downing).
        _store.EndRideOut();
        Timers.StartSingleTimer(nameof(Leave), Leave.Instance, LeaveAfter);
    }

    /// <summary>How long a node that gives its channels up waits for their shards to stop before it leaves.</summary>
    private static readonly TimeSpan LeaveAfter = TimeSpan.FromMilliseconds(250);

    private sealed record Leave
    {
        public static Leave Instance { get; } = new();
    }

    private sealed record Look
    {
        public static Look Instance { get; } = new();
    }

    private sealed record Answers(TimeSpan Unreachable, IReadOnlyList<Address> Reaching, int Asked, bool SelfStillFails);
}
