using ActorRecorder.Actors.Internal;

namespace ActorRecorder.Actors;

/// <summary>A point-in-time view of one actor and its subtree (what <c>actor hierarchy</c> shows).</summary>
/// <param name="Path">The actor's path.</param>
/// <param name="ActorType">The CLR type of the running instance (or the Props type while it has none).</param>
/// <param name="MailboxDepth">User messages waiting.</param>
/// <param name="RestartCount">How often the actor was restarted.</param>
/// <param name="Children">The children, by name.</param>
public sealed record ActorTreeNode(
    ActorPath Path, string ActorType, int MailboxDepth, int RestartCount, IReadOnlyList<ActorTreeNode> Children)
{
    internal static ActorTreeNode Of(ActorCell cell) => new(
        cell.Path,
        (cell.Actor?.GetType() ?? cell.Props.ActorType).Name,
        cell.MailboxDepth,
        cell.RestartCount,
        cell.ChildCells().OrderBy(c => c.Name, StringComparer.Ordinal).Select(Of).ToArray());

    /// <summary>Every node of the subtree, depth first.</summary>
    public IEnumerable<ActorTreeNode> Flatten() => Children.SelectMany(c => c.Flatten()).Prepend(this);
}
