using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace ActorRecorder.Engine.Channel;

/// <summary>A recorded segment as the journal knows it.</summary>
public sealed record SegmentInfo(int Attempt, string Path, TimeSpan Duration, long Bytes, bool Adopted);

/// <summary>A (part, target) pair a target confirmed, and where the part is now.</summary>
public sealed record Upload(int Part, string Target, string Location);

/// <summary>One broadcast: from SessionStarted to SessionCompleted, however many drops and attempts. Immutable.</summary>
public sealed record Session(string Id, string? Title, string StreamUrl, string Directory, DateTimeOffset StartedAt)
{
    public DateTimeOffset? EndedAt { get; init; }

    public ImmutableList<SegmentInfo> Segments { get; init; } = [];

    public int LastAttempt { get; init; }

    /// <summary>An attempt started and its end is not in the journal (yet): it was interrupted if the channel restarts now.</summary>
    public bool AttemptOpen { get; init; }

    public DateTimeOffset? LastAttemptEndedAt { get; init; }

    public int Drops { get; init; }

    public TimeSpan GapTime { get; init; }

    /// <summary>The cut parts once planned (null until then).</summary>
    public ImmutableList<PartInfo>? Parts { get; init; }

    public ImmutableList<Upload> Uploads { get; init; } = [];

    public string? FailureReason { get; init; }

    /// <summary>The compressed copy (<c>processing.compress</c>), once made: delivered as part <see cref="CompressedCopy"/>.</summary>
    public PartInfo? Compressed { get; init; }

    /// <summary>Why the session gets no compressed copy (it does not fit the size, a target refused it); null when it does or will.</summary>
    public string? CompressionSkipped { get; init; }

    /// <summary>The comment under the session's first post in the discussion group (<c>chat/id</c>), once posted.</summary>
    public string? Comment { get; init; }

    /// <summary>The part number under which the compressed copy's uploads are journaled (parts count from 1).</summary>
    public const int CompressedCopy = 0;

    /// <summary>The status message in the chat ("LIVE: title"), once posted.</summary>
    public string? StatusMessageId { get; init; }

    /// <summary>The sequence number of the event that started the session (the journal keeps every event from here on until it is delivered).</summary>
    public long FirstEvent { get; init; }

    [JsonIgnore]
    public long Bytes => Segments.Sum(s => s.Bytes);

    [JsonIgnore]
    public TimeSpan Duration => TimeSpan.FromTicks(Segments.Sum(s => s.Duration.Ticks));

    public bool HasSegment(string path) => Segments.Exists(s => s.Path == path);

    public bool IsUploaded(int part, string target) => Uploads.Exists(u => u.Part == part && u.Target == target);

    public string? LocationOf(int part, string target) => Uploads.Find(u => u.Part == part && u.Target == target)?.Location;

    /// <summary>Every file the session owns on disk: segments, parts and thumbnails (the parts folder is removed with them).</summary>
    [JsonIgnore]
    public ImmutableList<string> Files => Segments.Select(s => s.Path)
        .Concat(Parts?.SelectMany(p => new[] { p.Path, p.ThumbnailPath }).OfType<string>() ?? [])
        .Concat(Compressed is { } copy ? [copy.Path] : [])
        .ToImmutableList();
}

/// <summary>A completed session whose local files are still to be deleted.</summary>
public sealed record Cleanup(string SessionId, string Directory, ImmutableList<string> Files);

/// <summary>A completed session as the channel remembers it: what it recorded, its parts, where each went.</summary>
public sealed record SessionSummary(
    string Id, string? Title, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, DateTimeOffset CompletedAt, int Segments, long Bytes, TimeSpan Duration,
    ImmutableList<PartInfo> Parts, ImmutableList<Upload> Uploads)
{
    /// <summary>Its local files were deleted: after every target had every part, or by retention (<see cref="PurgeReason"/>).</summary>
    public bool FilesDeleted { get; init; }

    /// <summary>Why retention deleted its files; null when it did not.</summary>
    public string? PurgeReason { get; init; }

    /// <summary>Its folder (null in a summary written before retention existed).</summary>
    public string? Directory { get; init; }

    /// <summary>Its local files (segments and parts), for retention.</summary>
    public ImmutableList<string> Files { get; init; } = [];

    public static SessionSummary Of(Session session, DateTimeOffset completedAt) => new(
        session.Id, session.Title, session.StartedAt, session.EndedAt, completedAt, session.Segments.Count, session.Bytes, session.Duration,
        [.. session.Parts ?? [], .. session.Compressed is { } copy ? [copy] : Array.Empty<PartInfo>()], session.Uploads)
    {
        Directory = session.Directory,
        Files = session.Files,
    };
}
