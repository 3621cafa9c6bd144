namespace ActorRecorder.Hocon;

/// <summary>
/// A node of a configuration tree. The public subclasses are the resolved JSON types; the parser also
/// builds internal unresolved nodes (substitutions, concatenations, merge stacks) that never escape a
/// resolved <see cref="Config"/>.
/// </summary>
public abstract class ConfigValue
{
    private protected ConfigValue(ConfigOrigin? origin)
    {
        Origin = origin;
    }

    public ConfigOrigin? Origin { get; }

    /// <summary>False while the value (or something inside it) still contains substitutions.</summary>
    internal virtual bool IsResolved => true;

    /// <summary>Number of nodes in this tree, saturating; bounds what substitutions can blow up into.</summary>
    internal virtual long Weight => 1;

    /// <summary>Renders the value as HOCON that parses back to an equal value.</summary>
    public override string ToString() => HoconRenderer.Render(this);
}
