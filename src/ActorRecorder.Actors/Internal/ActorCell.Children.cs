using System.Buffers;

namespace ActorRecorder.Actors.Internal;

/// <summary>Creating, naming, listing and stopping children.</summary>
internal sealed partial class ActorCell
{
    private static readonly SearchValues<char> ValidNameChars = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.*$+:@&=,!~';%()");

    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (name is not null)
        {
            ValidateName(name);
        }
        var children = ChildrenDictionary();
        ActorCell child;
        lock (children)
        {
            name ??= NextAutoName();
            if (children.ContainsKey(name))
            {
                throw new InvalidActorNameException($"Actor name [{name}] is not unique among the children of [{Path}]");
            }
            child = new ActorCell(_system, this, name, props);
            children.Add(name, child);
        }
        child.SendSystem(new SysCreate());
        if (_lifecycle is Lifecycle.Terminating or Lifecycle.Terminated)
        {
            child.SendSystem(new SysTerminate());
        }
        return child.Self;
    }

    /// <summary>Creates a child outside the normal checks (the guardians use reserved names).</summary>
    internal ActorCell ActorOfReserved(Props props, string name)
    {
        var child = new ActorCell(_system, this, name, props);
        var children = ChildrenDictionary();
        lock (children)
        {
            children.Add(name, child);
        }
        return child;
    }

    private static void ValidateName(string name)
    {
        if (name.Length == 0)
        {
            throw new InvalidActorNameException("Actor name must not be empty");
        }
        if (name[0] == '$')
        {
            throw new InvalidActorNameException($"Actor name [{name}] must not start with '$' (reserved for generated names)");
        }
        if (name.AsSpan().IndexOfAnyExcept(ValidNameChars) >= 0)
        {
            throw new InvalidActorNameException(
                $"Actor name [{name}] has a character outside [a-zA-Z0-9] and -_.*$+:@&=,!~';%()");
        }
    }

    private string NextAutoName()
    {
        var n = Extras.AutoNameCounter++;
        Span<char> buffer = stackalloc char[16];
        var i = buffer.Length;
        const string Digits = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+~";
        do
        {
            buffer[--i] = Digits[n & 63];
            n >>= 6;
        }
        while (n > 0);
        buffer[--i] = '$';
        return new string(buffer[i..]);
    }

    private Dictionary<string, ActorCell> ChildrenDictionary()
    {
        var extras = Extras;
        if (extras.Children is { } existing)
        {
            return existing;
        }
        var created = new Dictionary<string, ActorCell>(StringComparer.Ordinal);
        return Interlocked.CompareExchange(ref extras.Children, created, null) ?? created;
    }

    /// <summary>A snapshot of the children (safe from any thread).</summary>
    internal ActorCell[] ChildCells()
    {
        var children = _extras?.Children;
        if (children is null)
        {
            return [];
        }
        lock (children)
        {
            return [.. children.Values];
        }
    }

    public IEnumerable<IActorRef> Children => ChildCells().Select(c => (IActorRef)c.Self);

    public IActorRef Child(string name) => TryGetChild(name)?.Self ?? ActorRefs.Nobody;

    internal ActorCell? TryGetChild(string name)
    {
        var children = _extras?.Children;
        if (children is null)
        {
            return null;
        }
        lock (children)
        {
            return children.GetValueOrDefault(name);
        }
    }

    private bool IsChild(ActorCell cell)
    {
        var children = _extras?.Children;
        if (children is null)
        {
            return false;
        }
        lock (children)
        {
            return children.TryGetValue(cell._name, out var registered) && ReferenceEquals(registered, cell);
        }
    }

    private bool HasChildren => _extras?.Children is { } children && ChildCount(children) > 0;

    private static int ChildCount(Dictionary<string, ActorCell> children)
    {
        lock (children)
        {
            return children.Count;
        }
    }

    public void Stop(IActorRef actor)
    {
        if (actor is not LocalActorRef local)
        {
            (actor as InternalActorRef)?.SendSystem(new SysTerminate());
            return;
        }
        if (ReferenceEquals(local.Cell._parent, this))
        {
            StopChild(local.Cell);
        }
        else
        {
            local.Cell.SendSystem(new SysTerminate());
        }
    }

    /// <summary>Stops a child and remembers it, so a restart can wait for it to be gone.</summary>
    internal void StopChild(ActorCell child)
    {
        (Extras.StoppingChildren ??= []).Add(child);
        child.SendSystem(new SysTerminate());
    }

    internal ChildStats StatsOf(ActorCell child)
    {
        var stats = Extras.ChildStats ??= [];
        if (!stats.TryGetValue(child, out var entry))
        {
            entry = new ChildStats();
            stats.Add(child, entry);
        }
        return entry;
    }

    /// <summary>Called by a child that has stopped (from its own turn): its name may be used again.</summary>
    internal void ReleaseChildName(ActorCell child)
    {
        var children = _extras?.Children;
        if (children is null)
        {
            return;
        }
        lock (children)
        {
            if (children.TryGetValue(child._name, out var registered) && ReferenceEquals(registered, child))
            {
                children.Remove(child._name);
            }
        }
    }

    private void HandleChildTerminated(ActorCell child)
    {
        ReleaseChildName(child);
        _extras?.ChildStats?.Remove(child);
        _extras?.StoppingChildren?.Remove(child);
        if (_lifecycle == Lifecycle.Terminating && !HasChildren)
        {
            FinishTerminate();
        }
        else if (_lifecycle == Lifecycle.Restarting && _extras?.StoppingChildren is not { Count: > 0 })
        {
            FinishRecreate(_extras!.PendingRecreateCause!);
        }
    }
}
