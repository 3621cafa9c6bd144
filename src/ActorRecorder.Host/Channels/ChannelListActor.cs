using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Persistence;
using ActorRecorder.Engine.Channel;

namespace ActorRecorder.Host.Channels;

/// <summary>
/// The cluster's channel list, a persistent entity in the shared journal run as a cluster singleton
/// (<c>/user/channel-list</c>, reached through <c>/user/channel-list-proxy</c>). Nodes state their lists to it
/// (<see cref="StateChannels"/>); it applies each statement by <see cref="ChannelListRules"/>, journals the edit, answers
/// with what changed, and sends the list to every member's channel directory. Its version is its sequence number: no
/// clock decides anything. When its node dies, the next oldest node runs it and replays it from the journal.
/// <para>
/// It keeps no history: every 50 edits, and whenever it starts with edits after its last snapshot (then after a
/// <see cref="ChannelListCompacted"/> marker), it saves a snapshot and deletes the events and snapshots before it (the
/// sequence number, its version, keeps counting). That also rewrites
/// a journal of an earlier version, whose events held the bot token itself, with references only
/// (<see cref="Engine.Settings.SecretRef"/>).
/// </para>
/// </summary>
public sealed class ChannelListActor : ReceivePersistentActor
{
    public const string Name = "channel-list";
    public const string ProxyName = "channel-list-proxy";

    private const int SnapshotEvery = 50;

    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ChannelListModel _model = ChannelListModel.Empty;

    /// <summary>Events replayed after the snapshot: when there are any, a new snapshot is saved once recovered.</summary>
    private int _replayed;

    public ChannelListActor()
    {
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is ChannelListSnapshot snapshot)
            {
                _model = ChannelListRules.FromSnapshot(snapshot);
            }
        });
        Recover<ChannelListEdited>(edited =>
        {
            _model = ChannelListRules.Apply(_model, edited);
            _replayed++;
        });
        Recover<ChannelListCompacted>(_ => { });
        Recover<RecoveryCompleted>(_ =>
        {
            if (_replayed > 0)
            {
                // The journal keeps its newest row (marked deleted) to remember the sequence number: that row is this
                // marker, so no edit's settings outlive the compaction. Once the snapshot is saved, the rest goes.
                Persist(new ChannelListCompacted(), _ => SaveSnapshot(ChannelListRules.ToSnapshot(_model)));
            }
        });
        Command<StateChannels>(OnStatement);
        Command<GetChannelList>(_ => Sender.Tell(Current));
        Command<SaveSnapshotSuccess>(success =>
        {
            DeleteMessages(success.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(success.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(failure => _log.Warning("channel list: saving a snapshot failed: {0}", failure.Cause.Message));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(failure => _log.Warning("channel list: deleting the events before its snapshot failed: {0}", failure.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    public override string PersistenceId => "channel-list";

    public static Props Props() => Akka.Actor.Props.Create(() => new ChannelListActor());

    private ChannelList Current => new(LastSequenceNr, _model.List);

    private void OnStatement(StateChannels statement)
    {
        var edited = ChannelListRules.Decide(_model, statement);
        if (edited is null)
        {
            Sender.Tell(new ChannelsStated([], [], [], Current));
            return;
        }
        var sender = Sender;
        Persist(edited, persisted =>
        {
            var (added, updated, removed) = ChannelListRules.Changes(_model, persisted);
            _model = ChannelListRules.Apply(_model, persisted);
            if (added.Count + updated.Count + removed.Count > 0)
            {
                _log.Info("channel list version {0}, stated by {1}: added [{2}], updated [{3}], removed [{4}]", LastSequenceNr, persisted.Origin,
                    string.Join(", ", added), string.Join(", ", updated), string.Join(", ", removed));
            }
            var list = Current;
            sender.Tell(new ChannelsStated(added, updated, removed, list));
            foreach (var member in _cluster.State.Members.Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving))
            {
                Context.ActorSelection(new RootActorPath(member.Address) / "user" / "channel-directory").Tell(list);
            }
            if (LastSequenceNr % SnapshotEvery == 0)
            {
                SaveSnapshot(ChannelListRules.ToSnapshot(_model));
            }
        });
    }
}
