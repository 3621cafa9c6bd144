namespace ActorRecorder.Media.Processes;

/// <summary>
/// Formats an argument list as a shell-pasteable command line for messages and logs. It is never
/// executed through a shell: processes get their arguments as a list, so nothing in one (a title, a URL)
/// is ever interpreted.
/// </summary>
public static class CommandLine
{
    public static string Format(string executable, IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Prepend(executable).Select(Quote));

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+@%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
