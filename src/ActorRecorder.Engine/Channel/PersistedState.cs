using System.Collections.Immutable;
using System.Text.Json.Serialization;
using ActorRecorder.Engine.Serialization;

namespace ActorRecorder.Engine.Channel;

/// <summary>Whether a channel is recording; finished sessions move on to delivery independently.</summary>
public enum ChannelMode
{
    Offline,
    Recording,
    Grace,
    Paused,
}

/// <summary>
/// What the journal knows about a channel: rebuilt only from its events (<see cref="Apply"/> is pure
/// bookkeeping: no I/O, no clock), so a replay after a crash gives exactly the state that was acknowledged.
/// Immutable; it is also the channel's snapshot.
/// </summary>
public sealed record PersistedState : IRecorderMessage
{
    public ChannelMode Mode { get; init; } = ChannelMode.Offline;

    public bool Paused { get; init; }

    public bool DiskLow { get; init; }

    /// <summary>The open session (recording or in its grace period), if any.</summary>
    public Session? Current { get; init; }

    /// <summary>Ended sessions not yet completed (being cut, uploaded, or failed), oldest first.</summary>
    public ImmutableList<Session> Processing { get; init; } = [];

    /// <summary>Completed sessions whose files are still to be deleted.</summary>
    public ImmutableList<Cleanup> Cleanups { get; init; } = [];

    public int SessionsStarted { get; init; }

    /// <summary>The WAITING message of an announced broadcast that has not started yet, if any.</summary>
    public WaitingMessage? Waiting { get; init; }

    /// <summary>The last WAITING message that expired: the same announcement does not get another.</summary>
    public WaitingMessage? Expired { get; init; }

    public int SessionsCompleted { get; init; }

    /// <summary>
    /// How many events this state was folded from: the sequence number of the last one, since every event of a channel's
    /// journal is folded (a state restored from a snapshot of an earlier version may count fewer, which only keeps more).
    /// </summary>
    public long Events { get; init; }

    /// <summary>The last <see cref="HistoryLength"/> completed sessions, oldest first: what the recordings view lists once their events are deleted.</summary>
    public ImmutableList<SessionSummary> History { get; init; } = [];

    /// <summary>Hooks started and not finished (a restart runs each again once).</summary>
    public ImmutableList<PendingHook> PendingHooks { get; init; } = [];

    /// <summary>Sessions retention never deletes (pinned by a person), by id.</summary>
    public ImmutableList<string> Pinned { get; init; } = [];

    /// <summary>How many completed sessions a channel remembers in its state.</summary>
    public const int HistoryLength = 100;

    /// <summary>
    /// The first event the open session or an undelivered one still needs (the one that started it): every earlier event
    /// is folded into the snapshot and may be deleted.
    /// </summary>
    [JsonIgnore]
    public long FirstEventNeeded => Processing.Select(s => s.FirstEvent).Append(Current?.FirstEvent ?? Events + 1).Min();

    public Session? Ended(string sessionId) => Processing.Find(s => s.Id == sessionId);

    public PersistedState Apply(IChannelEvent @event) => (this with { Events = Events + 1 }).Fold(@event);

    private PersistedState Fold(IChannelEvent @event) => @event switch
    {
        SessionStarted e => this with
        {
            Current = new Session(e.SessionId, e.Title, e.StreamUrl, e.Directory, e.At) { FirstEvent = Events },
            Mode = ChannelMode.Recording,
            SessionsStarted = SessionsStarted + 1,
            Waiting = null, // the session's status message now (StatusMessagePosted follows)
        },
        WaitingMessagePosted e => this with
        {
            Waiting = Waiting?.MessageId == e.MessageId ? Waiting with { Title = e.Title, StartsAt = e.StartsAt } : new WaitingMessage(e.MessageId, e.Title, e.StartsAt, e.At),
        },
        WaitingMessageExpired e when Waiting?.MessageId == e.MessageId => this with { Waiting = null, Expired = Waiting },
        RecordingAttemptStarted e when Current?.Id == e.SessionId => this with
        {
            Current = Current with { LastAttempt = e.Attempt, AttemptOpen = true },
            Mode = ChannelMode.Recording,
        },
        SegmentRecorded e when Current?.Id == e.SessionId && !Current.HasSegment(e.Path) => this with
        {
            Current = Current with { Segments = Current.Segments.Add(new SegmentInfo(e.Attempt, e.Path, e.Duration, e.Bytes, e.Adopted)) },
        },
        // An adoption that finished after its session ended (it went on recording meanwhile): delivery waited for it.
        SegmentRecorded e when Ended(e.SessionId) is { Parts: null } ended && !ended.HasSegment(e.Path) =>
            Update(e.SessionId, s => s with { Segments = s.Segments.Add(new SegmentInfo(e.Attempt, e.Path, e.Duration, e.Bytes, e.Adopted)) }),
        RecordingAttemptEnded e when Current?.Id == e.SessionId => this with
        {
            Current = Current with { AttemptOpen = false, LastAttemptEndedAt = e.At },
        },
        RecordingGap e when Current?.Id == e.SessionId => this with
        {
            Current = Current with { GapTime = Current.GapTime + (e.To - e.From) },
        },
        StreamDropped e when Current?.Id == e.SessionId => this with
        {
            Current = Current with { Drops = Current.Drops + 1 },
            Mode = ChannelMode.Grace,
        },
        StreamResumed e when Current?.Id == e.SessionId => this with { Mode = ChannelMode.Recording },
        TitleChanged e when Current?.Id == e.SessionId => this with { Current = Current with { Title = e.Title } },
        SessionEnded e when Current?.Id == e.SessionId => this with
        {
            Processing = Processing.Add(Current with { EndedAt = e.At, AttemptOpen = false }),
            Current = null,
            Mode = Paused ? ChannelMode.Paused : ChannelMode.Offline,
        },
        DiskSpaceLow => this with { DiskLow = true },
        DiskSpaceRecovered => this with { DiskLow = false },
        ChannelPaused => this with { Paused = true, Mode = Current is null ? ChannelMode.Paused : Mode },
        ChannelResumed => this with { Paused = false, Mode = Mode == ChannelMode.Paused ? ChannelMode.Offline : Mode },
        StatusMessagePosted e when Current?.Id == e.SessionId => this with { Current = Current with { StatusMessageId = e.MessageId } },
        StatusMessagePosted e => Update(e.SessionId, s => s with { StatusMessageId = e.MessageId }),
        PartsPlanned e => Update(e.SessionId, s => s.Parts is null ? s with { Parts = e.Parts } : s),
        PartReplanned e => Update(e.SessionId, s => Replan(s, e)),
        PartUploaded e => Update(e.SessionId, s => s.IsUploaded(e.Part, e.Target) ? s : s with { Uploads = s.Uploads.Add(new Upload(e.Part, e.Target, e.Location)) }),
        AlbumUploaded e => Update(e.SessionId, s => s with
        {
            Uploads = s.Uploads.AddRange(e.Parts.Zip(e.Locations).Where(p => !s.IsUploaded(p.First, e.Target)).Select(p => new Upload(p.First, e.Target, p.Second))),
        }),
        CompressedCopyMade e => Update(e.SessionId, s => s with { Compressed = s.Compressed ?? e.Copy }),
        CompressionSkipped e => Update(e.SessionId, s => s with { CompressionSkipped = e.Reason }),
        DiscussionCommentPosted e => Update(e.SessionId, s => s with { Comment = s.Comment ?? e.Location }),
        SessionFailed e => Update(e.SessionId, s => s with { FailureReason = e.Reason }),
        SessionRetried e => Update(e.SessionId, s => s with { FailureReason = null }),
        SessionCompleted e when Ended(e.SessionId) is { } session => this with
        {
            Processing = Processing.Remove(session),
            Cleanups = e.DeleteLocalFiles ? Cleanups.Add(new Cleanup(session.Id, session.Directory, session.Files)) : Cleanups,
            SessionsCompleted = SessionsCompleted + 1,
            History = (History.Count >= HistoryLength ? History.RemoveRange(0, History.Count - HistoryLength + 1) : History)
                .Add(SessionSummary.Of(session, e.At)),
        },
        HookStarted e => this with
        {
            PendingHooks = PendingHooks.RemoveAll(h => h.HookId == e.HookId).Add(new PendingHook(e.HookId, e.Hook, e.SessionId, e.Run, e.Environment)),
        },
        HookFinished e => this with { PendingHooks = PendingHooks.RemoveAll(h => h.HookId == e.HookId) },
        SessionPinned e when !Pinned.Contains(e.SessionId) => this with { Pinned = Pinned.Add(e.SessionId) },
        SessionUnpinned e => this with { Pinned = Pinned.Remove(e.SessionId) },
        SessionPurged e => this with
        {
            History = History.Find(h => h.Id == e.SessionId) is { } purged
                ? History.Replace(purged, purged with { FilesDeleted = true, PurgeReason = e.Reason })
                : History,
        },
        LocalFilesDeleted e => this with
        {
            Cleanups = Cleanups.RemoveAll(c => c.SessionId == e.SessionId),
            History = History.Find(h => h.Id == e.SessionId) is { } done ? History.Replace(done, done with { FilesDeleted = true }) : History,
        },
        _ => this,
    };

    private PersistedState Update(string sessionId, Func<Session, Session> change) =>
        Ended(sessionId) is { } session ? this with { Processing = Processing.Replace(session, change(session)) } : this;

    /// <summary>
    /// The refused part's content changed: what other targets confirmed of it no longer counts, and later
    /// parts (not sent yet: parts go in order) move up.
    /// </summary>
    private static Session Replan(Session session, PartReplanned e)
    {
        if (session.Parts is not { } parts)
        {
            return session;
        }
        var shift = e.Replacements.Count - 1;
        return session with
        {
            Parts = parts.Where(p => p.Number < e.Part)
                .Concat(e.Replacements)
                .Concat(parts.Where(p => p.Number > e.Part).Select(p => p with { Number = p.Number + shift }))
                .ToImmutableList(),
            Uploads = session.Uploads.RemoveAll(u => u.Part >= e.Part),
        };
    }
}

/// <summary>A hook that started and has not finished.</summary>
public sealed record PendingHook(string HookId, string Hook, string SessionId, int Run, ImmutableSortedDictionary<string, string> Environment);

/// <summary>A WAITING message: its id in the chat, what it announces, and when it was first posted (its age counts from then).</summary>
public sealed record WaitingMessage(string MessageId, string? Title, DateTimeOffset? StartsAt, DateTimeOffset PostedAt);
