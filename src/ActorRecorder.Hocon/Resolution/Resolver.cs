namespace ActorRecorder.Hocon;

/// <summary>
/// Resolves substitutions against the whole merged root (spec, "Substitutions" and "Self-Referential
/// Substitutions"): lookups are lazy and look forward to final values, every node is resolved once
/// (memoized by instance), and a lookup that runs into a merge stack being resolved looks back to the
/// layers below the one in progress; any other re-entry is a cycle.
/// </summary>
internal sealed partial class Resolver
{
    private readonly ConfigObject _root;
    private readonly ConfigResolveOptions _options;
    private readonly Dictionary<ConfigValue, ConfigValue?> _memo = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<ConfigValue, Frame> _active = new(ReferenceEqualityComparer.Instance);
    private readonly List<Substitution> _chain = [];

    private Resolver(ConfigObject root, ConfigResolveOptions options)
    {
        _root = root;
        _options = options;
    }

    public static ConfigObject Resolve(ConfigObject root, ConfigResolveOptions options)
    {
        if (root.IsResolved)
        {
            return root;
        }

        try
        {
            return (ConfigObject)new Resolver(root, options).ResolveValue(root, ConfigPath.Root)!;
        }
        catch (CycleException e)
        {
            throw e.Error;
        }
    }

    private ConfigValue? ResolveValue(ConfigValue node, ConfigPath path)
    {
        if (node.IsResolved)
        {
            return node;
        }

        if (_memo.TryGetValue(node, out var done))
        {
            return done;
        }

        if (_active.TryGetValue(node, out var running))
        {
            throw Cycle(running, path);
        }

        Guard.Stack(node.Origin, path.ToString());
        var frame = new Frame(node, _chain.Count, path, node as MergeStack);
        _active.Add(node, frame);
        ConfigValue? result;
        try
        {
            result = node switch
            {
                ConfigObject obj => ResolveObject(obj, path),
                ConfigList list => ResolveList(list, path),
                Substitution substitution => ResolveSubstitution(substitution, path),
                Concatenation concatenation => ResolveConcatenation(concatenation, path),
                MergeStack => LayersValue(frame, frame.Stack!.Layers.Count),
                _ => node,
            };
        }
        finally
        {
            _active.Remove(node);
        }

        if (result is not null)
        {
            Guard.Weight(result, path.ToString());
        }

        _memo[node] = result;
        return result;
    }

    private ConfigObject ResolveObject(ConfigObject obj, ConfigPath path)
    {
        var fields = new OrderedDictionary<string, ConfigValue>(obj.Count, StringComparer.Ordinal);
        var keyOrigins = new Dictionary<string, ConfigOrigin>(obj.KeyOrigins.Count, StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (ResolveValue(value, path.Append(key)) is { } resolved)
            {
                fields[key] = resolved;
                Merger.SetKeyOrigin(keyOrigins, key, obj.KeyOrigin(key));
            }
        }

        return new ConfigObject(fields, obj.Origin, keyOrigins) { IgnoresFallbacks = obj.IgnoresFallbacks };
    }

    private ConfigList ResolveList(ConfigList list, ConfigPath path)
    {
        var items = new List<ConfigValue>(list.Count);
        foreach (var item in list)
        {
            // An undefined ${?x} element is simply left out.
            if (ResolveValue(item, path) is { } resolved)
            {
                items.Add(resolved);
            }
        }

        return new ConfigList(items, list.Origin);
    }

    private ConfigValue? ResolveConcatenation(Concatenation concatenation, ConfigPath path)
    {
        var pieces = new List<ConfigValue>();
        foreach (var piece in concatenation.Pieces)
        {
            if (piece is ConcatWhitespace)
            {
                pieces.Add(piece);
            }
            else if (ResolveValue(piece, path) is { } resolved)
            {
                pieces.Add(resolved);
            }
        }

        // Whitespace around the values is never part of the result, even when undefined ${?x} left it at an end.
        while (pieces.Count > 0 && pieces[0] is ConcatWhitespace)
        {
            pieces.RemoveAt(0);
        }

        while (pieces.Count > 0 && pieces[^1] is ConcatWhitespace)
        {
            pieces.RemoveAt(pieces.Count - 1);
        }

        return pieces.Count == 0 ? null : Concatenator.Combine(pieces, concatenation.Origin, path.ToString());
    }

    /// <summary>The merge of the first <paramref name="count"/> layers of a stack, resolving the top one first so hidden layers are never evaluated.</summary>
    private ConfigValue? LayersValue(Frame frame, int count)
    {
        if (count == 0)
        {
            return null;
        }

        if (frame.Below.TryGetValue(count, out var cached))
        {
            return cached;
        }

        var saved = frame.Layer;
        frame.Layer = count - 1;
        ConfigValue? top;
        try
        {
            top = ResolveValue(frame.Stack!.Layers[count - 1], frame.Path);
        }
        finally
        {
            frame.Layer = saved;
        }

        ConfigValue? result;
        if (top is null)
        {
            result = LayersValue(frame, count - 1);
        }
        else if (top is ConfigObject)
        {
            result = LayersValue(frame, count - 1) is ConfigObject below ? Merger.Merge(below, top) : top;
        }
        else
        {
            result = top;
        }

        frame.Below[count] = result;
        return result;
    }

    private sealed class Frame(ConfigValue node, int chainStart, ConfigPath path, MergeStack? stack)
    {
        public ConfigValue Node { get; } = node;

        public int ChainStart { get; } = chainStart;

        public ConfigPath Path { get; } = path;

        public MergeStack? Stack { get; } = stack;

        /// <summary>For a stack: the layer being resolved; a self-reference sees the layers below it.</summary>
        public int Layer { get; set; }

        public Dictionary<int, ConfigValue?> Below { get; } = [];
    }
}
