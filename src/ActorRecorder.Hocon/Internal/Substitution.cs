namespace ActorRecorder.Hocon;

/// <summary>
/// <c>${path}</c> or <c>${?path}</c>. <see cref="Prefix"/> is the location of the include statement that
/// brought this substitution in: it is looked up there first, then at the root (spec, "Include semantics: substitution").
/// </summary>
internal sealed class Substitution : ConfigValue
{
    public Substitution(ConfigPath path, bool optional, ConfigPath prefix, ConfigOrigin origin)
        : base(origin)
    {
        Path = path;
        Optional = optional;
        Prefix = prefix;
    }

    public ConfigPath Path { get; }

    public bool Optional { get; }

    public ConfigPath Prefix { get; }

    internal override bool IsResolved => false;

    public string Expression => (Optional ? "${?" : "${") + Path + "}";
}
