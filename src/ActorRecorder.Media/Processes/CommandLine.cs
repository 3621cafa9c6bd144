namespace ActorRecorder.Media.Processes;

/// <summary>
/// Formats an argument list as a command line for messages and logs, with its secrets masked: the value after an
/// option that carries headers or cookies (<c>-headers</c>, <c>--cookies</c>, ...) and the query string of a URL
/// (a signed stream URL's token) become <c>***</c>. It is never executed through a shell: processes get their
/// arguments as a list, so nothing in one (a title, a URL) is ever interpreted.
/// </summary>
public static class CommandLine
{
    private static readonly HashSet<string> SecretOptions = new(StringComparer.Ordinal)
    {
        "-headers", "-cookies", "--cookies", "--http-header", "--add-header", "--http-cookie",
    };

    public static string Format(string executable, IEnumerable<string> arguments)
    {
        var parts = new List<string> { Quote(executable) };
        var secret = false;
        foreach (var argument in arguments)
        {
            parts.Add(Quote(secret ? "***" : WithoutQuery(argument)));
            secret = SecretOptions.Contains(argument);
        }
        return string.Join(' ', parts);
    }

    private static string WithoutQuery(string argument)
    {
        var query = argument.IndexOf('?', StringComparison.Ordinal);
        return query > 0 && argument.Contains("://", StringComparison.Ordinal) ? argument[..(query + 1)] + "***" : argument;
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+@%*".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
