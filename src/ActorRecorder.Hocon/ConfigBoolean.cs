namespace ActorRecorder.Hocon;

public sealed class ConfigBoolean : ConfigValue
{
    public ConfigBoolean(bool value, ConfigOrigin? origin = null)
        : base(origin)
    {
        Value = value;
    }

    public bool Value { get; }
}
