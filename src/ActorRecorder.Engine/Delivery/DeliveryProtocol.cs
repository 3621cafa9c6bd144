using System.Collections.Immutable;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Media.Splitting;

namespace ActorRecorder.Engine.Delivery;

/// <summary>
/// A request to a delivery worker. Every reply names the request (and the worker's incarnation), so the
/// channel can drop the late answer of a worker it has replaced.
/// </summary>
public interface IWorkRequest
{
    long RequestId { get; }
    int Worker { get; }
}

/// <summary>Cut a session's segments into parts (answered with <see cref="SessionSplit"/> or <see cref="SplitFailed"/>).</summary>
public sealed record SplitSession(long RequestId, int Worker, string SessionId, ImmutableList<string> Segments, string PartsDirectory,
    SplitOptions Options, PartFormat Format) : IWorkRequest;

public sealed record SessionSplit(long RequestId, int Worker, string SessionId, ImmutableList<PartInfo> Parts, ImmutableList<DroppedSegment> Skipped)
    : IChannelInput;

/// <param name="Permanent">True when cutting again cannot help (the input is unreadable, a part cannot be cut smaller without
/// re-encoding): the session fails. Otherwise (disk full, a timeout, an I/O error) the cut is tried again later.</param>
public sealed record SplitFailed(long RequestId, int Worker, string SessionId, string Reason, bool Permanent) : IChannelInput;

/// <summary>
/// Make the session's compressed copy from its parts (answered with <see cref="SessionCompressed"/>, or <see cref="SplitFailed"/>:
/// permanent when it cannot fit).
/// </summary>
public sealed record CompressSession(long RequestId, int Worker, string SessionId, ImmutableList<string> Parts, string OutputPath, long TargetBytes,
    string? ThumbnailPath) : IWorkRequest;

public sealed record SessionCompressed(long RequestId, int Worker, string SessionId, PartInfo Copy) : IChannelInput;

/// <summary>Cut a part that a target refused as too big into two halves (answered with <see cref="PartRecut"/> or <see cref="SplitFailed"/>).</summary>
public sealed record RecutPart(long RequestId, int Worker, string SessionId, PartInfo Part, PartFormat Format) : IWorkRequest;

public sealed record PartRecut(long RequestId, int Worker, string SessionId, int Part, ImmutableList<PartInfo> Halves) : IChannelInput;

/// <summary>What a target needs to deliver one part.</summary>
public sealed record DeliveryItem(string ChannelId, string SessionId, string? Title, DateTimeOffset StartedAt, PartInfo Part, int PartCount);

/// <summary>Deliver one part to one target (answered with <see cref="PartDelivered"/> or <see cref="DeliveryFailed"/>).</summary>
public sealed record DeliverPart(long RequestId, int Worker, DeliveryItem Item, string Target) : IWorkRequest;

public sealed record PartDelivered(long RequestId, int Worker, string SessionId, int Part, string Target, string Location) : IChannelInput;

/// <param name="Permanent">True when retrying cannot help (the session fails until a person fixes the cause).</param>
/// <param name="TooLarge">The target refused the part's size: it is cut smaller and sent again.</param>
public sealed record DeliveryFailed(long RequestId, int Worker, string SessionId, int Part, string Target, string Reason, bool Permanent, bool TooLarge = false)
    : IChannelInput;

/// <summary>Delivers several parts of a session as one album (in order, the caption on the first).</summary>
public sealed record DeliverAlbum(long RequestId, int Worker, ImmutableList<DeliveryItem> Items, string Target) : IWorkRequest;

/// <summary>The target took the whole album: where each part is now, in the album's order.</summary>
public sealed record AlbumDelivered(long RequestId, int Worker, string SessionId, ImmutableList<int> Parts, string Target, ImmutableList<string> Locations)
    : IChannelInput;

/// <summary>
/// Copies delivered parts (the messages at <paramref name="Sources"/>, in order) to the target: the telegram backup chat.
/// Answered with <see cref="AlbumDelivered"/> (where each copy is) or <see cref="DeliveryFailed"/>.
/// </summary>
public sealed record CopyParts(long RequestId, int Worker, string SessionId, ImmutableList<int> Parts, ImmutableList<string> Sources, string Target) : IWorkRequest;

/// <summary>What a session's comment tells.</summary>
public sealed record CommentSummary(string ChannelId, string? Title, DateTimeOffset StartedAt, TimeSpan Duration, int PartCount);

/// <summary>
/// Comment on the session's first post (<paramref name="PostLocation"/>, where <paramref name="Target"/> put its first part);
/// answered with <see cref="CommentPosted"/> or <see cref="DeliveryFailed"/>.
/// </summary>
public sealed record PostComment(long RequestId, int Worker, string SessionId, string Target, string PostLocation, CommentSummary Summary) : IWorkRequest;

public sealed record CommentPosted(long RequestId, int Worker, string SessionId, string Location) : IChannelInput;

public enum StatusKind
{
    /// <summary>A broadcast is announced and has not started (<see cref="StatusNote.StartsAt"/>).</summary>
    Waiting,

    /// <summary>The broadcast is being recorded.</summary>
    Live,

    /// <summary>The announced broadcast did not start in time (its message is deleted; this is the text when it cannot be).</summary>
    Expired,

    /// <summary>Every part of the session is delivered (<see cref="StatusNote.Duration"/>, <see cref="StatusNote.Parts"/>).</summary>
    Delivered,
}

/// <summary>What a status message tells; the status board words it (<see cref="IStatusBoard"/>).</summary>
public sealed record StatusNote(StatusKind Kind, string ChannelId, string? Title)
{
    /// <summary>When the announced broadcast was to start (Waiting, Expired); null when the platform did not say.</summary>
    public DateTimeOffset? StartsAt { get; init; }

    /// <summary>The delivered session's length (Delivered).</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>How many parts the delivered session has (Delivered).</summary>
    public int Parts { get; init; }
}

/// <summary>Post a session's status message on <paramref name="Board"/> (answered with <see cref="StatusPosted"/>; failures are only logged).</summary>
public sealed record PostStatus(string Board, string SessionId, StatusNote Note);

public sealed record StatusPosted(string SessionId, string MessageId) : IChannelInput;

/// <summary>Post a WAITING message for a scheduled broadcast; answered with <see cref="WaitingPosted"/>, whose id is null when it failed.</summary>
public sealed record PostWaiting(string Board, StatusNote Note);

public sealed record WaitingPosted(string? MessageId, string? Title, DateTimeOffset? StartsAt) : IChannelInput;

/// <summary>Delete a status message; when the board refuses (too old, no right), show <paramref name="Expired"/> in it instead (best effort).</summary>
public sealed record DeleteStatus(string Board, string MessageId, StatusNote Expired);

/// <summary>Replace a status message's text, with a link to the first part when the board can make one (best effort).</summary>
public sealed record EditStatus(string Board, string MessageId, StatusNote Note, string? FirstPartLocation);
