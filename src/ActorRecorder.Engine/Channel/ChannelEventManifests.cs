using ActorRecorder.Persistence.Serialization;

namespace ActorRecorder.Engine.Channel;

/// <summary>The stable journal names of the channel's events (never the CLR type name).</summary>
public static class ChannelEventManifests
{
    public static EventSerializer Register(EventSerializer serializer) => serializer
        .Register<SessionStarted>("channel.session-started.v1")
        .Register<RecordingAttemptStarted>("channel.attempt-started.v1")
        .Register<SegmentRecorded>("channel.segment-recorded.v1")
        .Register<SegmentDiscarded>("channel.segment-discarded.v1")
        .Register<RecordingAttemptEnded>("channel.attempt-ended.v1")
        .Register<RecordingGap>("channel.recording-gap.v1")
        .Register<StreamDropped>("channel.stream-dropped.v1")
        .Register<StreamResumed>("channel.stream-resumed.v1")
        .Register<TitleChanged>("channel.title-changed.v1")
        .Register<SessionEnded>("channel.session-ended.v1")
        .Register<DiskSpaceLow>("channel.disk-space-low.v1")
        .Register<DiskSpaceRecovered>("channel.disk-space-recovered.v1")
        .Register<ChannelPaused>("channel.paused.v1")
        .Register<ChannelResumed>("channel.resumed.v1")
        .Register<SegmentSkipped>("channel.segment-skipped.v1")
        .Register<PartsPlanned>("channel.parts-planned.v1")
        .Register<PartUploaded>("channel.part-uploaded.v1")
        .Register<LocalFilesDeleted>("channel.local-files-deleted.v1")
        .Register<SessionCompleted>("channel.session-completed.v1")
        .Register<SessionFailed>("channel.session-failed.v1")
        .Register<StatusMessagePosted>("channel.status-message-posted.v1")
        .Register<SessionRetried>("channel.session-retried.v1")
        .Register<PartReplanned>("channel.part-replanned.v1");
}
