namespace ActorRecorder.Hocon;

/// <summary>A value concatenation that contains at least one substitution, so it can only be combined after resolution.</summary>
internal sealed class Concatenation : ConfigValue
{
    public Concatenation(IReadOnlyList<ConfigValue> pieces, ConfigOrigin? origin)
        : base(origin)
    {
        Pieces = pieces;
    }

    public IReadOnlyList<ConfigValue> Pieces { get; }

    internal override bool IsResolved => false;
}
