namespace ActorRecorder.Hocon;

/// <summary>
/// Every parse, include, resolve and typed-getter failure. The message is formatted
/// <c>file:line:col: at 'path': reason</c>, leaving out the parts that are unknown.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string reason, ConfigOrigin? origin = null, string? path = null, Exception? inner = null)
        : base(Format(reason, origin, path), inner)
    {
        Reason = reason;
        File = origin?.File;
        Line = origin?.Line;
        Column = origin?.Column;
        Path = path;
    }

    /// <summary>The message without position or path.</summary>
    public string Reason { get; }

    public string? File { get; }

    public int? Line { get; }

    public int? Column { get; }

    /// <summary>The configuration path the error is about (rendered as a path expression), when known.</summary>
    public string? Path { get; }

    private static string Format(string reason, ConfigOrigin? origin, string? path)
    {
        var position = origin is null ? "" : origin + ": ";
        var at = path is null ? "" : $"at '{path}': ";
        return position + at + reason;
    }
}
