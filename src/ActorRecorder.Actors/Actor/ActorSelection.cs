using ActorRecorder.Actors.Internal;

namespace ActorRecorder.Actors;

/// <summary>
/// Actors found by path at the moment a message is sent: absolute (<c>/user/a</c>, or the full
/// <c>actor://system/user/a</c>) or relative to the actor that made it (<c>../b</c>, <c>child/x</c>).
/// An element may use the wildcards <c>*</c> and <c>?</c>. A send that matches nobody goes to dead letters.
/// </summary>
public sealed class ActorSelection
{
    private readonly ActorSystem _system;
    private readonly ActorCell _anchor;
    private readonly string _path;

    internal ActorSelection(ActorSystem system, ActorCell anchor, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _system = system;
        _anchor = anchor;
        _path = path;
    }

    public string PathString => _path;

    public void Tell(object message, IActorRef? sender = null)
    {
        var matched = false;
        foreach (var cell in ResolveCells())
        {
            matched = true;
            cell.Self.Tell(message, sender);
        }
        if (!matched)
        {
            _system.DeadLetters.Tell(message, sender);
        }
    }

    /// <summary>The one actor the path names.</summary>
    /// <exception cref="ActorNotFoundException">Nothing matches (or, with wildcards, nothing at all).</exception>
    public Task<IActorRef> ResolveOne(TimeSpan timeout)
    {
        var cell = ResolveCells().FirstOrDefault();
        return cell is null
            ? Task.FromException<IActorRef>(new ActorNotFoundException($"Actor not found for selection [{_path}]"))
            : Task.FromResult<IActorRef>(cell.Self);
    }

    internal IEnumerable<ActorCell> ResolveCells()
    {
        var path = _path;
        var start = _anchor;
        var prefix = $"{ActorPath.Scheme}://{_system.Name}";
        if (path.StartsWith(prefix, StringComparison.Ordinal))
        {
            path = path[prefix.Length..];
        }
        if (path.StartsWith('/'))
        {
            start = _system.RootCell;
        }
        var elements = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<ActorCell> current = [start];
        foreach (var element in elements)
        {
            current = element switch
            {
                "." => current,
                ".." => current.Select(c => c.ParentCell).OfType<ActorCell>(),
                _ when element.Contains('*') || element.Contains('?') =>
                    current.SelectMany(c => c.ChildCells().Where(child => Glob(element, child.Name))),
                _ => current.Select(c => c.TryGetChild(element)).OfType<ActorCell>(),
            };
        }
        return current.Where(c => !c.IsTerminated).ToArray();
    }

    private static bool Glob(string pattern, string name)
    {
        int p = 0, n = 0, star = -1, mark = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == name[n]))
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = n;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }

    public override string ToString() => $"ActorSelection[{_path}]";
}
