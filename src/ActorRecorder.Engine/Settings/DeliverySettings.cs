using ActorRecorder.Engine.Delivery;
using ActorRecorder.Media.Splitting;

namespace ActorRecorder.Engine.Settings;

/// <summary>
/// What happens after a broadcast (<c>actor-recorder.processing</c> and <c>actor-recorder.upload</c>; see
/// hocon/reference.conf): how segments are cut into parts, and where the parts are delivered.
/// </summary>
/// <param name="Targets">Upload targets in delivery order; empty: sessions stay on disk, uncut.</param>
/// <param name="DeleteAfterUpload">Delete local segments and parts once every target confirmed every part.</param>
/// <param name="ArchivePath">The archive folder (full path).</param>
/// <param name="ArchiveMaxPartBytes">The largest part the archive takes.</param>
/// <param name="MinSegmentDuration">Shorter segments are phantoms and are left out.</param>
/// <param name="RemuxTo">The parts' container.</param>
public sealed record DeliverySettings(
    IReadOnlyList<string> Targets,
    bool DeleteAfterUpload,
    string ArchivePath,
    long ArchiveMaxPartBytes,
    TimeSpan MinSegmentDuration,
    PartFormat RemuxTo)
{
    /// <summary>The telegram target's settings; null when telegram is not a target.</summary>
    public TelegramTargetSettings? Telegram { get; init; }

    /// <summary>The rclone target's settings; null when rclone is not a target.</summary>
    public RcloneTargetSettings? Rclone { get; init; }

    /// <summary>The compressed copy of each session (<c>processing.compress</c>); null when off.</summary>
    public CompressSettings? Compress { get; init; }

    /// <summary>The targets a channel may name.</summary>
    public static readonly IReadOnlySet<string> KnownTargets =
        new HashSet<string>(StringComparer.Ordinal) { ArchiveTarget.TargetName, TelegramTarget.TargetName, RcloneTarget.TargetName };

    /// <summary>No delivery: what a node does when the configuration names no target.</summary>
    public static DeliverySettings None { get; } = new([], false, "archive", 4L << 30, TimeSpan.FromSeconds(2), PartFormat.Mp4);

    /// <summary>
    /// Where each part goes, in order, as the delivery rules see them: each target as its own code describes it, followed by
    /// the destinations that copy from it (a telegram backup chat copies a part once Telegram has it).
    /// </summary>
    public IReadOnlyList<DeliveryTarget> Destinations => [.. Targets.SelectMany(Describe)];

    private IEnumerable<DeliveryTarget> Describe(string target) => target switch
    {
        ArchiveTarget.TargetName => [ArchiveTarget.Describe(ArchiveMaxPartBytes)],
        TelegramTarget.TargetName when Telegram is { } telegram => TelegramTarget.Describe(telegram),
        RcloneTarget.TargetName when Rclone is { } rclone => [RcloneTarget.Describe(rclone)],
        _ => throw new InvalidOperationException($"the upload target '{target}' is not configured"),
    };

    /// <summary>The destination that shows the channel's status; null when none does.</summary>
    public DeliveryTarget? Board => Destinations.FirstOrDefault(t => t.StatusBoard);

    /// <summary>The strictest part-size limit among the destinations that get files (the archive's when there are none).</summary>
    public long MaxPartBytes => Destinations.Where(t => t.CopiesFrom is null).Select(t => t.MaxPartBytes).DefaultIfEmpty(ArchiveMaxPartBytes).Min();

    public bool Equals(DeliverySettings? other) =>
        other is not null && Targets.SequenceEqual(other.Targets) && DeleteAfterUpload == other.DeleteAfterUpload
        && ArchivePath == other.ArchivePath && ArchiveMaxPartBytes == other.ArchiveMaxPartBytes
        && MinSegmentDuration == other.MinSegmentDuration && RemuxTo == other.RemuxTo && Equals(Telegram, other.Telegram) && Equals(Rclone, other.Rclone)
        && (Compress is null ? other.Compress is null : other.Compress is not null && Compress.TargetBytes == other.Compress.TargetBytes && Compress.Targets.SequenceEqual(other.Compress.Targets));

    public override int GetHashCode() => HashCode.Combine(Targets.Count, DeleteAfterUpload, ArchivePath, ArchiveMaxPartBytes, MinSegmentDuration, RemuxTo);
}

/// <summary>The compressed copy (<c>actor-recorder.processing.compress</c>): its largest size and where it goes, in order.</summary>
public sealed record CompressSettings(long TargetBytes, IReadOnlyList<string> Targets);

/// <summary>The rclone target (<c>upload.rclone</c>).</summary>
/// <param name="Remote">Where parts go: <c>name:path</c> (a remote of rclone's configuration, and a folder in it).</param>
/// <param name="ConfigFile">rclone's configuration file (the remotes and their credentials); null: rclone's own default.</param>
/// <param name="Flags">More rclone flags for every copy (e.g. <c>--s3-chunk-size 64M</c>).</param>
/// <param name="MaxPartBytes">The largest part the target takes.</param>
/// <param name="RclonePath">The rclone executable: a bare name (looked up on PATH) or a path.</param>
public sealed record RcloneTargetSettings(string Remote, string? ConfigFile, IReadOnlyList<string> Flags, long MaxPartBytes, string RclonePath)
{
    public bool Equals(RcloneTargetSettings? other) =>
        other is not null && Remote == other.Remote && ConfigFile == other.ConfigFile && Flags.SequenceEqual(other.Flags, StringComparer.Ordinal)
        && MaxPartBytes == other.MaxPartBytes && RclonePath == other.RclonePath;

    public override int GetHashCode() => HashCode.Combine(Remote, ConfigFile, Flags.Count, MaxPartBytes, RclonePath);
}
