namespace ActorRecorder.Engine.Channel;

/// <summary>Whether a channel is recording; finished sessions move on to processing independently.</summary>
public enum ChannelMode
{
    Offline,
    Recording,
    Grace,
    Paused,
}

/// <summary>A recorded segment as the journal knows it.</summary>
public sealed record SegmentInfo(int Attempt, string Path, TimeSpan Duration, long Bytes, bool Adopted);

/// <summary>One broadcast: from SessionStarted to SessionEnded, however many drops and attempts.</summary>
public sealed class SessionState(string id, string? title, string streamUrl, string directory, DateTimeOffset startedAt)
{
    public string Id { get; } = id;
    public string? Title { get; set; } = title;
    public string StreamUrl { get; } = streamUrl;
    public string Directory { get; } = directory;
    public DateTimeOffset StartedAt { get; } = startedAt;
    public DateTimeOffset? EndedAt { get; set; }
    public List<SegmentInfo> Segments { get; } = [];
    public int LastAttempt { get; set; }
    public bool AttemptOpen { get; set; }
    public DateTimeOffset? LastAttemptEndedAt { get; set; }
    public int Drops { get; set; }
    public List<RecordingGap> Gaps { get; } = [];

    /// <summary>The cut parts once planned (null while the session is processed).</summary>
    public IReadOnlyList<PartInfo>? Parts { get; set; }

    /// <summary>(part, target) pairs a target has confirmed.</summary>
    public HashSet<(int Part, string Target)> Uploaded { get; } = [];

    /// <summary>Where each confirmed (part, target) is now: an archive path, a chat message.</summary>
    public Dictionary<(int Part, string Target), string> Locations { get; } = [];

    public string? FailureReason { get; set; }

    /// <summary>The status message in the chat ("LIVE: title"), once posted.</summary>
    public string? StatusMessageId { get; set; }

    public long Bytes => Segments.Sum(s => s.Bytes);

    public TimeSpan Duration => TimeSpan.FromTicks(Segments.Sum(s => s.Duration.Ticks));

    public bool HasSegment(string path) => Segments.Exists(s => s.Path == path);
}

/// <summary>
/// The channel's state, rebuilt only from its events (<see cref="Apply"/> is pure bookkeeping: no I/O,
/// no clock), so a replay after a crash gives exactly the state that was acknowledged.
/// </summary>
public sealed class ChannelState
{
    public ChannelMode Mode { get; private set; } = ChannelMode.Offline;

    public SessionState? Current { get; private set; }

    /// <summary>Ended sessions not yet completed (being cut, uploaded, or failed), oldest first.</summary>
    public List<SessionState> Processing { get; } = [];

    public int CompletedSessions { get; private set; }

    private SessionState? Ended(string sessionId) => Processing.Find(s => s.Id == sessionId);

    public bool DiskLow { get; private set; }

    public bool Paused { get; private set; }

    public void Apply(IChannelEvent @event)
    {
        switch (@event)
        {
            case SessionStarted e:
                Current = new SessionState(e.SessionId, e.Title, e.StreamUrl, e.Directory, e.At);
                Mode = ChannelMode.Recording;
                break;
            case RecordingAttemptStarted e when Current?.Id == e.SessionId:
                Current.LastAttempt = e.Attempt;
                Current.AttemptOpen = true;
                Mode = ChannelMode.Recording;
                break;
            case SegmentRecorded e when Current?.Id == e.SessionId && !Current.HasSegment(e.Path):
                Current.Segments.Add(new SegmentInfo(e.Attempt, e.Path, e.Duration, e.Bytes, e.Adopted));
                break;
            case RecordingAttemptEnded e when Current?.Id == e.SessionId:
                Current.AttemptOpen = false;
                Current.LastAttemptEndedAt = e.At;
                break;
            case RecordingGap e when Current?.Id == e.SessionId:
                Current.Gaps.Add(e);
                break;
            case StreamDropped e when Current?.Id == e.SessionId:
                Current.Drops++;
                Mode = ChannelMode.Grace;
                break;
            case StreamResumed e when Current?.Id == e.SessionId:
                Mode = ChannelMode.Recording;
                break;
            case TitleChanged e when Current?.Id == e.SessionId:
                Current.Title = e.Title;
                break;
            case SessionEnded e when Current?.Id == e.SessionId:
                Current.EndedAt = e.At;
                Current.AttemptOpen = false;
                Processing.Add(Current);
                Current = null;
                Mode = Paused ? ChannelMode.Paused : ChannelMode.Offline;
                break;
            case DiskSpaceLow:
                DiskLow = true;
                break;
            case DiskSpaceRecovered:
                DiskLow = false;
                break;
            case ChannelPaused:
                Paused = true;
                if (Current is null)
                {
                    Mode = ChannelMode.Paused;
                }
                break;
            case StatusMessagePosted e when Current?.Id == e.SessionId:
                Current.StatusMessageId = e.MessageId;
                break;
            case StatusMessagePosted e when Ended(e.SessionId) is { } session:
                session.StatusMessageId = e.MessageId;
                break;
            case PartsPlanned e when Ended(e.SessionId) is { } session:
                session.Parts = e.Parts;
                break;
            case PartReplanned e when Ended(e.SessionId) is { Parts: { } parts } session:
                var shift = e.Replacements.Count - 1;
                session.Parts = parts.Where(p => p.Number < e.Part)
                    .Concat(e.Replacements)
                    .Concat(parts.Where(p => p.Number > e.Part).Select(p => p with { Number = p.Number + shift }))
                    .ToArray();
                // The refused part's content changed: what other targets confirmed of it no longer counts; later parts were not sent yet.
                session.Uploaded.RemoveWhere(u => u.Part >= e.Part);
                foreach (var key in session.Locations.Keys.Where(k => k.Part >= e.Part).ToArray())
                {
                    session.Locations.Remove(key);
                }
                break;
            case PartUploaded e when Ended(e.SessionId) is { } session:
                session.Uploaded.Add((e.Part, e.Target));
                session.Locations[(e.Part, e.Target)] = e.Location;
                break;
            case SessionFailed e when Ended(e.SessionId) is { } session:
                session.FailureReason = e.Reason;
                break;
            case SessionRetried e when Ended(e.SessionId) is { } session:
                session.FailureReason = null;
                break;
            case SessionCompleted e when Ended(e.SessionId) is { } session:
                Processing.Remove(session);
                CompletedSessions++;
                break;
            case ChannelResumed:
                Paused = false;
                if (Mode == ChannelMode.Paused)
                {
                    Mode = ChannelMode.Offline;
                }
                break;
        }
    }
}
