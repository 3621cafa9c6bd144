namespace ActorRecorder.Engine.Delivery;

/// <summary>
/// Somewhere parts are delivered. Delivering the same part again must be harmless for the target's
/// files (the archive overwrites); a target that cannot tell (a chat) may show a part twice, which is the
/// one window exactly-once delivery cannot close: the process dies after the target accepted the part
/// and before <c>PartUploaded</c> was written.
/// </summary>
public interface IUploadTarget
{
    string Name { get; }

    /// <summary>Delivers one part and returns where it is now (a path, a message id).</summary>
    /// <exception cref="DeliveryRejectedException">The target refuses for a reason retrying cannot fix.</exception>
    Task<string> DeliverAsync(DeliveryItem item, CancellationToken cancellationToken);
}

/// <summary>A target that takes several parts at once as an album (all or none).</summary>
public interface IAlbumTarget
{
    /// <summary>Delivers the parts as one album, in order; returns where each part is now, in the same order.</summary>
    /// <exception cref="PartTooLargeException">The album was refused as too large (Telegram does not say which part).</exception>
    /// <exception cref="DeliveryRejectedException">Refused for good.</exception>
    /// <exception cref="DeliveryDeferredException">Not now: try again later.</exception>
    Task<IReadOnlyList<string>> DeliverAlbumAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken);
}

/// <summary>A target that copies parts another target already has (a backup chat): no file is sent again.</summary>
public interface ICopyTarget
{
    /// <summary>Copies the messages at <paramref name="sources"/> (in order, albums kept); returns where each copy is, in the same order.</summary>
    /// <exception cref="DeliveryRejectedException">Refused for good.</exception>
    /// <exception cref="DeliveryDeferredException">Not now: try again later.</exception>
    Task<IReadOnlyList<string>> CopyAsync(IReadOnlyList<string> sources, CancellationToken cancellationToken);
}

/// <summary>A target that comments on its posts (a channel's linked discussion group).</summary>
public interface ICommentTarget
{
    /// <summary>Comments on the post at <paramref name="postLocation"/>; returns where the comment is.</summary>
    /// <exception cref="DeliveryRejectedException">Refused for good.</exception>
    /// <exception cref="DeliveryDeferredException">Not now: try again later.</exception>
    Task<string> CommentAsync(string postLocation, CommentSummary summary, CancellationToken cancellationToken);
}

/// <summary>A refusal that retrying cannot fix (a missing folder permission, a bad chat): the session fails with the reason.</summary>
public sealed class DeliveryRejectedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The target could not take the part now (after its own retries); the channel tries again later.</summary>
public sealed class DeliveryDeferredException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A target that can also show a channel's status (a chat): one message per broadcast, posted then edited. The rules say
/// what a message tells (<see cref="StatusNote"/>); the board words it in its own way.
/// </summary>
public interface IStatusBoard
{
    /// <summary>Posts the note and returns the message's id.</summary>
    Task<string> PostAsync(StatusNote note, CancellationToken cancellationToken);

    /// <summary>Replaces the message's text with the note's, linking the first part (where the board put it) when it can.</summary>
    Task EditAsync(string messageId, StatusNote note, string? firstPartLocation, CancellationToken cancellationToken);

    Task DeleteAsync(string messageId, CancellationToken cancellationToken);
}

/// <summary>The target refuses the part's size (HTTP 413, "file is too big"): the part is cut smaller and sent again.</summary>
public sealed class PartTooLargeException(string message, Exception? inner = null) : Exception(message, inner);
