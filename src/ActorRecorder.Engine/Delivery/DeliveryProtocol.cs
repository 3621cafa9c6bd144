using ActorRecorder.Engine.Channel;
using ActorRecorder.Media.Splitting;

namespace ActorRecorder.Engine.Delivery;

/// <summary>Cut a session's segments into parts (answered with <see cref="SessionSplit"/> or <see cref="SplitFailed"/>).</summary>
public sealed record SplitSession(string SessionId, IReadOnlyList<string> Segments, string PartsDirectory, SplitOptions Options, PartFormat Format);

public sealed record SessionSplit(string SessionId, IReadOnlyList<PartInfo> Parts, IReadOnlyList<DroppedSegment> Skipped);

public sealed record SplitFailed(string SessionId, string Reason);

/// <summary>What a target needs to deliver one part.</summary>
public sealed record DeliveryItem(string ChannelId, string SessionId, string? Title, DateTimeOffset StartedAt, PartInfo Part, int PartCount);

/// <summary>Deliver one part to one target (answered with <see cref="PartDelivered"/> or <see cref="DeliveryFailed"/>).</summary>
public sealed record DeliverPart(DeliveryItem Item, string Target);

public sealed record PartDelivered(string SessionId, int Part, string Target, string Location);

/// <param name="Permanent">True when retrying cannot help (the session fails until a person fixes the cause).</param>
/// <param name="TooLarge">The target refused the part's size: it is cut smaller and sent again.</param>
public sealed record DeliveryFailed(string SessionId, int Part, string Target, string Reason, bool Permanent, bool TooLarge = false);

/// <summary>Cut a part that a target refused as too big into two halves (answered with <see cref="PartRecut"/> or <see cref="SplitFailed"/>).</summary>
public sealed record RecutPart(string SessionId, PartInfo Part, PartFormat Format);

public sealed record PartRecut(string SessionId, int Part, IReadOnlyList<PartInfo> Halves);

/// <summary>Post a session's status message (answered with <see cref="StatusPosted"/>; failures are only logged).</summary>
public sealed record PostStatus(string SessionId, string Text);

public sealed record StatusPosted(string SessionId, string MessageId);

/// <summary>Replace a status message's text, adding a link to the first part when the board can make one (best effort).</summary>
public sealed record EditStatus(string MessageId, string Text, string? FirstPartLocation);
