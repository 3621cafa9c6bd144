using System.Collections.Immutable;
using ActorRecorder.Engine.Serialization;

namespace ActorRecorder.Engine.Channel;

/// <summary>
/// The persisted history of a channel. Replaying these rebuilds <see cref="PersistedState"/>; each is
/// written before the side effect it justifies (starting ffmpeg, handing a part to a target). Every type has
/// a stable manifest in <see cref="RecorderMessages"/> that never changes once released.
/// </summary>
public interface IChannelEvent : IRecorderMessage
{
    DateTimeOffset At { get; }
}

public sealed record SessionStarted(string SessionId, string? Title, string StreamUrl, string Directory, DateTimeOffset At) : IChannelEvent;

/// <summary>An ffmpeg process is about to start for the session (attempts are numbered from 1 within a session).</summary>
public sealed record RecordingAttemptStarted(string SessionId, int Attempt, DateTimeOffset At) : IChannelEvent
{
    /// <summary>Which of the channel's URLs it records (a broadcast may move between them within a session); null in older journals.</summary>
    public string? SourceUrl { get; init; }

    /// <summary>The rendition it records, as the resolver chose it for the channel's quality list; null when it could not tell (and in older journals).</summary>
    public string? Quality { get; init; }
}

/// <summary>A finished (or adopted) segment, counted once by its path.</summary>
public sealed record SegmentRecorded(string SessionId, int Attempt, string Path, TimeSpan Duration, long Bytes, bool Adopted, DateTimeOffset At)
    : IChannelEvent;

/// <summary>A partial segment that could not be kept (set aside on disk with the reason, not counted).</summary>
public sealed record SegmentDiscarded(string SessionId, string Path, string Reason, DateTimeOffset At) : IChannelEvent;

/// <summary>An ffmpeg process ended: Ended (the stream finished), Stopped (asked), Failed (crashed or errored), Stalled, Interrupted (node stopped or died).</summary>
public sealed record RecordingAttemptEnded(string SessionId, int Attempt, string Outcome, string Reason, DateTimeOffset At) : IChannelEvent;

/// <summary>Media time lost between one attempt and the next.</summary>
public sealed record RecordingGap(string SessionId, DateTimeOffset From, DateTimeOffset To, string Reason) : IChannelEvent
{
    public DateTimeOffset At => To;
}

/// <summary>The stream went away; the session waits for the grace period.</summary>
public sealed record StreamDropped(string SessionId, string Reason, DateTimeOffset At) : IChannelEvent;

/// <summary>The stream came back within the grace period: same session.</summary>
public sealed record StreamResumed(string SessionId, DateTimeOffset At) : IChannelEvent;

public sealed record TitleChanged(string SessionId, string Title, DateTimeOffset At) : IChannelEvent;

/// <summary>The broadcast is over; the session moves on to delivery.</summary>
public sealed record SessionEnded(string SessionId, string Reason, DateTimeOffset At) : IChannelEvent;

public sealed record DiskSpaceLow(long FreeBytes, long Threshold, DateTimeOffset At) : IChannelEvent;

public sealed record DiskSpaceRecovered(long FreeBytes, DateTimeOffset At) : IChannelEvent;

public sealed record ChannelPaused(DateTimeOffset At) : IChannelEvent;

public sealed record ChannelResumed(DateTimeOffset At) : IChannelEvent;

/// <summary>A part cut from a session, as planned and uploaded.</summary>
public sealed record PartInfo(int Number, string Path, long Bytes, TimeSpan Duration, int? Width, int? Height, string? ThumbnailPath);

/// <summary>A segment left out of the session's parts (unplayable, too short, or a repeat of the previous one).</summary>
public sealed record SegmentSkipped(string SessionId, string Path, string Reason, DateTimeOffset At) : IChannelEvent;

/// <summary>The session's parts are cut and checked; persisted before any of them is uploaded, once per session.</summary>
public sealed record PartsPlanned(string SessionId, ImmutableList<PartInfo> Parts, DateTimeOffset At) : IChannelEvent;

/// <summary>A target confirmed a part (<paramref name="Location"/>: where it is now, e.g. the archive path or a message id).</summary>
public sealed record PartUploaded(string SessionId, int Part, string Target, string Location, DateTimeOffset At) : IChannelEvent;

/// <summary>
/// A target confirmed several parts sent together as one album (Telegram's <c>sendMediaGroup</c>): one event, so the
/// album's message ids are journaled together and a crash re-sends at most the album that was in flight.
/// </summary>
public sealed record AlbumUploaded(string SessionId, ImmutableList<int> Parts, string Target, ImmutableList<string> Locations, DateTimeOffset At)
    : IChannelEvent;

/// <summary>
/// Every target has every part (or there is no target): the session is done. With <paramref name="DeleteLocalFiles"/>
/// its files are deleted next, and <see cref="LocalFilesDeleted"/> follows once that succeeded.
/// </summary>
public sealed record SessionCompleted(string SessionId, bool DeleteLocalFiles, DateTimeOffset At) : IChannelEvent;

/// <summary>A completed session's local files were deleted (after every target confirmed every part).</summary>
public sealed record LocalFilesDeleted(string SessionId, long Bytes, DateTimeOffset At) : IChannelEvent;

/// <summary>Delivery cannot go on without a person (a bad chat, a refused upload); the files are kept.</summary>
public sealed record SessionFailed(string SessionId, string Reason, DateTimeOffset At) : IChannelEvent;

/// <summary>The session's status message was posted in the chat (edited when the session is delivered).</summary>
public sealed record StatusMessagePosted(string SessionId, string MessageId, DateTimeOffset At) : IChannelEvent;

/// <summary>
/// A scheduled broadcast's WAITING message is in the chat (posted, or edited for a new title or start); the session
/// that starts next takes it over as its status message.
/// </summary>
public sealed record WaitingMessagePosted(string MessageId, string? Title, DateTimeOffset? StartsAt, DateTimeOffset At) : IChannelEvent;

/// <summary>The WAITING message outlived <c>waiting-timeout</c> without its broadcast: it was deleted (or marked expired).</summary>
public sealed record WaitingMessageExpired(string MessageId, DateTimeOffset At) : IChannelEvent;

/// <summary>The session's compressed copy was made (a two-pass encode to the target size); it is delivered like a part.</summary>
public sealed record CompressedCopyMade(string SessionId, PartInfo Copy, DateTimeOffset At) : IChannelEvent;

/// <summary>The session gets no compressed copy, and why (too long for the size, refused by a target); its parts are delivered.</summary>
public sealed record CompressionSkipped(string SessionId, string Reason, DateTimeOffset At) : IChannelEvent;

/// <summary>The session's comment is in the discussion group, under its first post (<paramref name="Location"/>: <c>chat/id</c>).</summary>
public sealed record DiscussionCommentPosted(string SessionId, string Location, DateTimeOffset At) : IChannelEvent;

/// <summary>A failed session is tried again (after its cause was fixed, e.g. the configuration).</summary>
public sealed record SessionRetried(string SessionId, DateTimeOffset At) : IChannelEvent;

/// <summary>
/// A target refused part <paramref name="Part"/> as too big: it is replaced by <paramref name="Replacements"/>
/// (cut from its file, numbered from <paramref name="Part"/> on); later parts move up by the difference.
/// </summary>
public sealed record PartReplanned(string SessionId, int Part, ImmutableList<PartInfo> Replacements, DateTimeOffset At) : IChannelEvent;

/// <summary>
/// The channel's monitor failed <paramref name="Failures"/> times in a row (the last time for <paramref name="Reason"/>):
/// whether the channel is live cannot be known until it works again. Journaled once per streak.
/// </summary>
public sealed record MonitorFailing(string Reason, int Failures, DateTimeOffset At) : IChannelEvent;

/// <summary>The monitor that was failing reported again.</summary>
public sealed record MonitorRecovered(DateTimeOffset At) : IChannelEvent;

/// <summary>
/// A broadcast went live and is not recorded (<paramref name="Reason"/>: outside the recording windows, or its title is
/// filtered out). Journaled once per broadcast and reason; a later title or window that lets it in starts its session.
/// </summary>
public sealed record BroadcastSkipped(string? Title, string Reason, DateTimeOffset At) : IChannelEvent;

/// <summary>
/// A hook started (<paramref name="Run"/> 1; 2 when it runs again after the node stopped during its first run), with the
/// environment it was given (the session's facts; never a secret). Its <see cref="HookFinished"/> follows.
/// </summary>
public sealed record HookStarted(string HookId, string Hook, string SessionId, int Run, ImmutableSortedDictionary<string, string> Environment, DateTimeOffset At)
    : IChannelEvent;

/// <summary>A hook ended: its exit code (null when it did not exit by itself) and what happened, in words.</summary>
public sealed record HookFinished(string HookId, string Hook, int? ExitCode, string Outcome, DateTimeOffset At) : IChannelEvent;

/// <summary>A session is kept: retention never deletes its files (<c>recording pin</c>).</summary>
public sealed record SessionPinned(string SessionId, DateTimeOffset At) : IChannelEvent;

/// <summary>A pinned session is left to retention again.</summary>
public sealed record SessionUnpinned(string SessionId, DateTimeOffset At) : IChannelEvent;

/// <summary>Retention deleted a delivered session's local files (<paramref name="Bytes"/> freed) for <paramref name="Reason"/>.</summary>
public sealed record SessionPurged(string SessionId, long Bytes, string Reason, DateTimeOffset At) : IChannelEvent;
