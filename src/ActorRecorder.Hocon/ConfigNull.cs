namespace ActorRecorder.Hocon;

/// <summary>An explicit <c>null</c>; it hides fallback values and blocks the environment-variable lookup.</summary>
public sealed class ConfigNull : ConfigValue
{
    public ConfigNull(ConfigOrigin? origin = null)
        : base(origin)
    {
    }
}
