namespace ActorRecorder.Hocon;

/// <summary>
/// Internal signal for a substitution cycle: an optional substitution further out treats it as undefined
/// (spec: cycles count as missing for <c>${?x}</c>); otherwise it becomes a <see cref="ConfigException"/>.
/// </summary>
internal sealed class CycleException : Exception
{
    public CycleException(ConfigException error)
        : base(error.Message, error)
    {
        Error = error;
    }

    public ConfigException Error { get; }
}
