namespace ActorRecorder.Hocon;

public sealed class ConfigString : ConfigValue
{
    public ConfigString(string value, ConfigOrigin? origin = null)
        : base(origin)
    {
        Value = value;
    }

    public string Value { get; }
}
