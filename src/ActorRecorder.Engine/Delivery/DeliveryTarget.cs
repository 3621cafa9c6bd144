namespace ActorRecorder.Engine.Delivery;

/// <summary>
/// What the delivery rules know of a target, described once from the settings (<see cref="Settings.DeliverySettings.Destinations"/>)
/// by the target's own code: the rules ask what a target can do, never which target it is, so a new target brings its
/// description and its <see cref="IUploadTarget"/> and leaves the rules alone.
/// </summary>
/// <param name="Name">The name its uploads are journaled under (<c>PartUploaded.Target</c>): stable across versions.</param>
/// <param name="MaxPartBytes">The largest part it takes; the parts are cut to the smallest limit among the targets that get files.</param>
public sealed record DeliveryTarget(string Name, long MaxPartBytes)
{
    /// <summary>How many parts one request may carry (an album, all or none); 1: one part per request.</summary>
    public int AlbumSize { get; init; } = 1;

    /// <summary>
    /// The target whose delivered parts this one copies (no file is sent again); it comes right after that target in
    /// <see cref="Settings.DeliverySettings.Destinations"/>. Null for a target that gets the files.
    /// </summary>
    public string? CopiesFrom { get; init; }

    /// <summary>Each delivered session gets a comment under its first part's post here.</summary>
    public bool Comments { get; init; }

    /// <summary>The target shows the channel's status (one message per broadcast: waiting, live, delivered); at most one does.</summary>
    public bool StatusBoard { get; init; }

    /// <summary>How long a status board's message about an announced broadcast waits for it before it is deleted.</summary>
    public TimeSpan WaitingTimeout { get; init; } = TimeSpan.FromHours(24);
}
