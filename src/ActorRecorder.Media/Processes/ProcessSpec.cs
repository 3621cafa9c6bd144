using System.Collections.Immutable;

namespace ActorRecorder.Media.Processes;

/// <summary>
/// What to run: an executable and its arguments as a list (never a shell command line, so nothing in
/// an argument — a title, a URL — is ever interpreted). Immutable; each With* returns a copy.
/// </summary>
public sealed record ProcessSpec
{
    public ProcessSpec(string fileName, IEnumerable<string>? arguments = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        FileName = fileName;
        Arguments = arguments?.ToImmutableArray() ?? [];
    }

    public string FileName { get; }

    public ImmutableArray<string> Arguments { get; init; }

    public string? WorkingDirectory { get; init; }

    public ImmutableDictionary<string, string> Environment { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Lines of standard error kept for diagnostics (the tail).</summary>
    public int StderrTailLines { get; init; } = 40;

    public ProcessSpec WithArguments(IEnumerable<string> arguments) => this with { Arguments = arguments.ToImmutableArray() };

    public ProcessSpec WithWorkingDirectory(string directory) => this with { WorkingDirectory = directory };

    public ProcessSpec WithEnvironment(string name, string value) => this with { Environment = Environment.SetItem(name, value) };

    /// <summary>The command line for messages and logs, quoted so it could be pasted into a shell (it never runs through one).</summary>
    public string CommandLine => string.Join(' ', Arguments.Prepend(FileName).Select(Quote));

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+@%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
