namespace ActorRecorder.Hocon;

/// <summary>How substitutions are resolved.</summary>
public sealed record ConfigResolveOptions
{
    /// <summary>Environment variables as the fallback for substitutions the configuration does not define.</summary>
    public static ConfigResolveOptions Default { get; } = new();

    /// <summary>Substitutions are resolved against the configuration only.</summary>
    public static ConfigResolveOptions NoEnvironment { get; } = new() { UseEnvironment = false };

    /// <summary>
    /// When a substitution's path is not in the configuration (not even as <c>null</c>), look it up as an
    /// environment variable named by the path (<c>${HOME}</c> reads <c>HOME</c>); its value is always a string.
    /// </summary>
    public bool UseEnvironment { get; init; } = true;

    /// <summary>Where environment variables come from; replaceable so tests need not touch the real environment.</summary>
    public Func<string, string?> EnvironmentLookup { get; init; } = Environment.GetEnvironmentVariable;
}
