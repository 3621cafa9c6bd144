namespace ActorRecorder.Engine.Settings;

/// <summary>
/// The commands run after a channel's milestones (<c>hooks</c>, the node's and a channel's own key by key): each a command
/// and its arguments, run without a shell, with the session's facts in its environment. Empty: no hook.
/// </summary>
public sealed record HookSettings(
    IReadOnlyList<string> SegmentFinished, IReadOnlyList<string> SessionEnded, IReadOnlyList<string> PartDelivered, IReadOnlyList<string> SessionDelivered,
    TimeSpan Timeout)
{
    public const string SegmentFinishedHook = "segment-finished";
    public const string SessionEndedHook = "session-ended";
    public const string PartDeliveredHook = "part-delivered";
    public const string SessionDeliveredHook = "session-delivered";

    public static readonly IReadOnlyList<string> Names = [SegmentFinishedHook, SessionEndedHook, PartDeliveredHook, SessionDeliveredHook];

    public static readonly HookSettings None = new([], [], [], [], TimeSpan.FromMinutes(5));

    /// <summary>The command of hook <paramref name="name"/> (<see cref="Names"/>); empty when none is set.</summary>
    public IReadOnlyList<string> For(string name) => name switch
    {
        SegmentFinishedHook => SegmentFinished,
        SessionEndedHook => SessionEnded,
        PartDeliveredHook => PartDelivered,
        SessionDeliveredHook => SessionDelivered,
        _ => [],
    };

    public bool Any => Names.Any(name => For(name).Count > 0);

    public bool Equals(HookSettings? other) =>
        other is not null && Timeout == other.Timeout && Names.All(name => For(name).SequenceEqual(other.For(name), StringComparer.Ordinal));

    public override int GetHashCode() => HashCode.Combine(Timeout, SegmentFinished.Count, SessionEnded.Count, PartDelivered.Count, SessionDelivered.Count);
}
