using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ActorRecorder.Engine.Channel;

namespace ActorRecorder.Engine.Serialization;

/// <summary>
/// The stable names of everything the recorder persists or sends between nodes. A manifest never changes
/// once released: a new shape gets a new manifest (".v2") and an upcaster from the old one.
/// </summary>
public static class RecorderMessages
{
    /// <summary>
    /// Enums as names (stable when members are reordered), fields as declared, and strict reading: a payload that misses
    /// a constructor parameter, has null where the type says never, or carries a field the type does not know is refused
    /// with the field's name, instead of replaying into a state with defaults nobody wrote (a renamed field would do that).
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.General)
    {
        Converters = { new JsonStringEnumConverter() },
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The catalog every node uses (read-only once first used).</summary>
    public static ManifestCatalog Catalog { get; } = Register(new ManifestCatalog(JsonOptions));

    public static ManifestCatalog Register(ManifestCatalog catalog) => catalog
        // events
        .Register<SessionStarted>("channel.session-started.v1")
        .Register<RecordingAttemptStarted>("channel.attempt-started.v1")
        .Register<SegmentRecorded>("channel.segment-recorded.v1")
        .Register<SegmentDiscarded>("channel.segment-discarded.v1")
        .Register<RecordingAttemptEnded>("channel.attempt-ended.v1")
        .Register<RecordingGap>("channel.recording-gap.v1")
        .Register<StreamDropped>("channel.stream-dropped.v1")
        .Register<StreamResumed>("channel.stream-resumed.v1")
        .Register<Channel.TitleChanged>("channel.title-changed.v1")
        .Register<SessionEnded>("channel.session-ended.v1")
        .Register<DiskSpaceLow>("channel.disk-space-low.v1")
        .Register<DiskSpaceRecovered>("channel.disk-space-recovered.v1")
        .Register<ChannelPaused>("channel.paused.v1")
        .Register<ChannelResumed>("channel.resumed.v1")
        .Register<SegmentSkipped>("channel.segment-skipped.v1")
        .Register<PartsPlanned>("channel.parts-planned.v1")
        .Register<PartUploaded>("channel.part-uploaded.v1")
        .Register<AlbumUploaded>("channel.album-uploaded.v1")
        .Register<SessionCompleted>("channel.session-completed.v1")
        .Register<LocalFilesDeleted>("channel.local-files-deleted.v1")
        .Register<SessionFailed>("channel.session-failed.v1")
        .Register<StatusMessagePosted>("channel.status-message-posted.v1")
        .Register<SessionRetried>("channel.session-retried.v1")
        .Register<WaitingMessagePosted>("channel.waiting-message-posted.v1")
        .Register<WaitingMessageExpired>("channel.waiting-message-expired.v1")
        .Register<CompressedCopyMade>("channel.compressed-copy-made.v1")
        .Register<CompressionSkipped>("channel.compression-skipped.v1")
        .Register<DiscussionCommentPosted>("channel.discussion-comment-posted.v1")
        .Register<PartReplanned>("channel.part-replanned.v1")
        .Register<MonitorFailing>("channel.monitor-failing.v1")
        .Register<MonitorRecovered>("channel.monitor-recovered.v1")
        .Register<BroadcastSkipped>("channel.broadcast-skipped.v1")
        .Register<SessionPinned>("channel.session-pinned.v1")
        .Register<SessionUnpinned>("channel.session-unpinned.v1")
        .Register<SessionPurged>("channel.session-purged.v1")
        .Register<HookStarted>("channel.hook-started.v1")
        .Register<HookFinished>("channel.hook-finished.v1")
        // snapshot (v1 also stored the sessions' computed Bytes, Duration and Files)
        .Register<PersistedState>("channel.snapshot.v2")
        .AddUpcaster("channel.snapshot.v1", SnapshotV1)
        // messages that may cross nodes
        .Register<PinSession>("channel.pin-session.v1")
        .Register<ConfigureChannel>("channel.configure.v1")
        .Register<ChannelNotConfigured>("channel.not-configured.v1")
        .Register<GetChannelSettings>("channel.get-settings.v1")
        .Register<PauseChannel>("channel.pause.v1")
        .Register<ResumeChannel>("channel.resume.v1")
        .Register<StartRecordingCommand>("channel.start.v1")
        .Register<StopRecordingCommand>("channel.stop.v1")
        .Register<SplitSessionCommand>("channel.split.v1")
        .Register<ShutdownChannel>("channel.shutdown.v1")
        .Register<RetireChannel>("channel.retire.v1")
        .Register<RetryFailedSessions>("channel.retry-failed-sessions.v1")
        .Register<GetChannelStatus>("channel.get-status.v1")
        .Register<ChannelStatus>("channel.status.v1")
        .Register<GetChannelRecordings>("channel.get-recordings.v1")
        .Register<ChannelRecordings>("channel.recordings.v1")
        // the cluster's channel list (directory.channel-list.v1, the stamped lists the directories exchanged, is retired)
        .Register<StateChannels>("channels.state.v1")
        .Register<ChannelList>("channels.list.v1")
        .Register<GetChannelList>("channels.get-list.v1")
        .Register<ChannelsStated>("channels.stated.v1")
        .Register<ChannelListEdited>("channels.list-edited.v1")
        .Register<ChannelListSnapshot>("channels.list-snapshot.v1")
        .Register<ChannelListCompacted>("channels.list-compacted.v1")
        .Register<GetBusyShards>("cluster.get-busy-shards.v1")
        .Register<BusyShards>("cluster.busy-shards.v1")
        .Register<GetDatabaseContact>("cluster.get-database-contact.v1")
        .Register<DatabaseContact>("cluster.database-contact.v1");

    /// <summary>A v1 snapshot without the sessions' computed values (they are derived from the segments and parts).</summary>
    private static (string, JsonNode) SnapshotV1(JsonNode snapshot)
    {
        IEnumerable<JsonNode?> sessions = [snapshot["Current"], .. snapshot["Processing"]?.AsArray() ?? []];
        foreach (var session in sessions.OfType<JsonObject>())
        {
            session.Remove("Bytes");
            session.Remove("Duration");
            session.Remove("Files");
        }
        return ("channel.snapshot.v2", snapshot);
    }
}
