using Akka.Actor;

namespace ActorRecorder.Host.Management;

/// <summary>
/// The live actor tree under a path, walked with Identify as pbm's <c>actor hierarchy</c> does: each level's actors are
/// asked for their children (<c>path/*</c>) at once, and a level is complete when no answer came for a moment.
/// </summary>
internal static class ActorTree
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan LevelBudget = TimeSpan.FromSeconds(3);

    public static async Task<IActorRef?> IdentifyAsync(ActorSystem system, string path, CancellationToken ct)
    {
        try
        {
            var identity = await system.ActorSelection(path).Ask<ActorIdentity>(new Identify(path), TimeSpan.FromSeconds(3), ct);
            return identity.Subject;
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    public static async Task<ActorView> WalkAsync(ActorSystem system, IActorRef root, int depth, CancellationToken ct)
    {
        var children = new Dictionary<ActorPath, List<IActorRef>>();
        IReadOnlyList<IActorRef> level = [root];
        for (var d = 0; d < depth && level.Count > 0; d++)
        {
            var found = await ChildrenAsync(system, level, ct);
            foreach (var parent in level)
            {
                children[parent.Path] = [];
            }
            foreach (var child in found)
            {
                if (children.TryGetValue(child.Path.Parent, out var siblings))
                {
                    siblings.Add(child);
                }
            }
            level = found;
        }
        return View(root, children);
    }

    private static ActorView View(IActorRef actor, Dictionary<ActorPath, List<IActorRef>> children) => new(
        actor.Path.ToStringWithoutAddress(),
        (actor as ActorRefWithCell)?.Underlying.Props.Type?.Name,
        children.TryGetValue(actor.Path, out var mine) ? [.. mine.OrderBy(c => c.Path.Name, StringComparer.Ordinal).Select(c => View(c, children))] : []);

    private static async Task<IReadOnlyList<IActorRef>> ChildrenAsync(ActorSystem system, IReadOnlyList<IActorRef> parents, CancellationToken ct)
    {
        using var inbox = Inbox.Create(system);
        foreach (var parent in parents)
        {
            system.ActorSelection(parent.Path.ToStringWithoutAddress() + "/*").Tell(new Identify(null), inbox.Receiver);
        }
        var found = new List<IActorRef>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (started.Elapsed < LevelBudget && !ct.IsCancellationRequested)
        {
            try
            {
                var answer = await inbox.ReceiveAsync(Quiet);
                if (answer is Status.Failure)
                {
                    break; // quiet: every child that exists has answered
                }
                if (answer is ActorIdentity { Subject: { } child })
                {
                    found.Add(child);
                }
            }
            catch (TimeoutException)
            {
                break; // quiet: every child that exists has answered
            }
        }
        return found;
    }
}
