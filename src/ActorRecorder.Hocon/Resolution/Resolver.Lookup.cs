namespace ActorRecorder.Hocon;

internal sealed partial class Resolver
{
    private bool _selfReference;

    private ConfigValue? ResolveSubstitution(Substitution substitution, ConfigPath path)
    {
        _chain.Add(substitution);
        _selfReference = false;
        try
        {
            var found = substitution.Prefix.Count > 0
                ? Lookup(substitution.Prefix.Concat(substitution.Path)) ?? Lookup(substitution.Path)
                : Lookup(substitution.Path);
            if (found is not null)
            {
                return found;
            }

            if (_options.UseEnvironment && _options.EnvironmentLookup(string.Join('.', substitution.Path.Segments)) is { } env)
            {
                return new ConfigString(env, substitution.Origin);
            }

            if (substitution.Optional)
            {
                return null;
            }

            if (_selfReference)
            {
                throw new ConfigException(
                    $"'{substitution.Path}' refers to itself ({substitution.Expression}) and has no earlier value to build on",
                    substitution.Origin, path.ToString());
            }

            var where = _options.UseEnvironment ? "no such setting and no such environment variable" : "no such setting";
            throw new ConfigException($"could not resolve substitution {substitution.Expression}: {where}", substitution.Origin, path.ToString());
        }
        catch (CycleException) when (substitution.Optional)
        {
            return null;
        }
        finally
        {
            _chain.RemoveAt(_chain.Count - 1);
        }
    }

    /// <summary>The final value at <paramref name="path"/>, or null when it is not defined.</summary>
    private ConfigValue? Lookup(ConfigPath path)
    {
        ConfigValue current = _root;
        var soFar = ConfigPath.Root;
        foreach (var key in path.Segments)
        {
            if (Walkable(current, soFar) is not { } container || !container.TryGetValue(key, out var child))
            {
                return null;
            }

            current = child;
            soFar = soFar.Append(key);
        }

        if (_active.TryGetValue(current, out var frame))
        {
            if (frame.Stack is not null)
            {
                return LayersValue(frame, frame.Layer);
            }

            // `a = ${a}` with nothing before it: the field looks back, finds nothing, and counts as
            // undefined (so the environment or ${?a} still apply), unlike a cycle through other fields.
            if (current is Substitution or Concatenation && frame.ChainStart == _chain.Count - 1)
            {
                _selfReference = true;
                return null;
            }

            throw Cycle(frame, soFar);
        }

        return ResolveValue(current, soFar);
    }

    /// <summary>The object to continue a lookup in: objects are walked without resolving them whole (<c>bar { foo: 1, baz: ${bar.foo} }</c>).</summary>
    private ConfigObject? Walkable(ConfigValue node, ConfigPath nodePath)
    {
        if (node is ConfigObject obj)
        {
            return obj;
        }

        if (_active.TryGetValue(node, out var frame))
        {
            return frame.Stack is not null ? LayersValue(frame, frame.Layer) as ConfigObject : throw Cycle(frame, nodePath);
        }

        return Merger.IsUnresolved(node) ? ResolveValue(node, nodePath) as ConfigObject : null;
    }

    private CycleException Cycle(Frame frame, ConfigPath target)
    {
        var chain = _chain.Skip(frame.ChainStart).ToList();
        var first = chain.Count > 0 ? chain[0] : null;
        string message;
        if (frame.Node is ConfigObject or ConfigList && first is not null)
        {
            message = $"substitution cycle: {first.Expression} is inside '{target}' and needs the whole of it";
        }
        else if (chain.Count == 1 && first!.Path.ToString() == target.ToString())
        {
            message = $"'{target}' refers to itself ({first.Expression}) and has no earlier value to build on";
        }
        else
        {
            var steps = chain.Count == 0 ? "a value refers to itself" : string.Join(" -> ", chain.Select(s => s.Expression));
            message = $"substitution cycle: {steps} -> back to '{target}'";
        }

        return new CycleException(new ConfigException(message, first?.Origin ?? frame.Stack?.Origin, target.ToString()));
    }
}
