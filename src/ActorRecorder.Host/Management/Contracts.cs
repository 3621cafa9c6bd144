using System.Text.Json;
using System.Text.Json.Serialization;
using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Host.Management;

// What the management API answers (JSON, camelCase); the CLI reads the same records.

/// <summary>A channel as the API shows it: its configuration, where it runs and what it does.</summary>
public sealed record ChannelView(
    string Id, string Url, string Resolver, string State, string Lifecycle, bool Paused, bool DiskLow, bool Retiring, string? Node,
    OpenSessionView? Session, IReadOnlyList<string> Delivering)
{
    /// <summary>Every URL of the channel, in priority order (the first is <see cref="Url"/>).</summary>
    public IReadOnlyList<ChannelSource> Sources { get; init; } = [];

    /// <summary>Whether a cookies file is sent to the platform (its path and content are not shown).</summary>
    public bool Cookies { get; init; }

    /// <summary>What keeps the channel from working, if anything (an unreadable journal, a monitor that keeps failing).</summary>
    public string? Problem { get; init; }

    /// <summary>The renditions wanted, in order (its effective <c>quality</c>).</summary>
    public string Quality { get; init; } = "best";

    /// <summary>The rendition the open session records, as the resolver chose it; null when none is open or it could not tell.</summary>
    public string? QualityRecorded { get; init; }

    /// <summary>Why the broadcast live now is not recorded (recording windows, title filters), or when the next window opens; null: nothing skipped.</summary>
    public string? Skipped { get; init; }

    /// <summary>The HTTP proxy its checks and recordings go through, its password masked; null: none.</summary>
    public string? Proxy { get; init; }
}

/// <summary>The session a channel is recording (or waiting in the grace period of).</summary>
public sealed record OpenSessionView(
    string Id, string? Title, DateTimeOffset? StartedAt, int Segments, long BytesRecorded, long BytesInProgress, int Attempt, int? FfmpegPid,
    string? Directory, string? CurrentFile);

/// <summary>One event of a channel's journal.</summary>
public sealed record EventView(long SequenceNr, string Type, DateTimeOffset At, JsonElement Event);

public sealed record MemberView(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable, bool IsLeader, bool IsSelf);

public sealed record ClusterView(string Self, string? Leader, IReadOnlyList<MemberView> Members);

public sealed record RegionView(string TypeName, IReadOnlyList<RegionStatsView> Regions);

public sealed record RegionStatsView(string Node, int Shards, int Entities, IReadOnlyList<string> Failed);

public sealed record ShardView(string ShardId, string Node, IReadOnlyList<string> Entities);

/// <summary>A live actor: its path, its class (null for one on another node) and its children.</summary>
public sealed record ActorView(string Path, string? Type, IReadOnlyList<ActorView> Children);

/// <summary>A session of a channel, from its journal: recording, delivering, completed or failed.</summary>
public sealed record RecordingView(
    string Channel, string Session, string? Title, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string State, int Segments, long Bytes,
    double DurationSeconds, string? FailureReason, bool FilesDeleted, IReadOnlyList<PartView> Parts)
{
    /// <summary>Retention never deletes its files (<c>recording pin</c>).</summary>
    public bool Pinned { get; init; }

    /// <summary>Why retention deleted its local files; null when it did not.</summary>
    public string? PurgeReason { get; init; }
}

public sealed record PartView(int Number, string File, long Bytes, double DurationSeconds, IReadOnlyList<UploadView> Uploads);

public sealed record UploadView(string Target, string Location);

public sealed record LinkView(string Url, DateTimeOffset ExpiresAt);

public sealed record ProbeRequest(string? Url, string? Resolver);

/// <summary>A platform tool as the node found it; <paramref name="Installation"/>: virtual environment, system package, standalone, other or missing.</summary>
public sealed record ToolView(string Name, string? Path, string? Version, string? Released, string Installation, string? Problem);

/// <summary>What an update of a tool did.</summary>
public sealed record ToolUpdateView(string Name, bool Updated, string? Before, string? After, string? Command, string Message);

public sealed record ProbeView(string Url, string Resolver, bool Live, string? Title, string? Reason, string? StreamUrl, IReadOnlyList<StreamView> Streams)
{
    /// <summary>The platform tools the resolver ran, with their versions (<c>yt-dlp 2023.03.04, streamlink 5.2.1</c>); null for the generic resolver.</summary>
    public string? Tools { get; init; }
}

public sealed record StreamView(int Index, string Type, string? Codec, int? Width, int? Height);

/// <summary>A channel to add at runtime; the same keys as a channel of the configuration file.</summary>
public sealed record ChannelRequest(string? Id, string? Url, string? Resolver);

public sealed record AddressRequest(string? Address);

public sealed record RetryView(string Channel, string Session);

public static class ManagementJson
{
    /// <summary>The API's JSON: camelCase, enums as names, no nulls left out (a script sees every field).</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };
}
