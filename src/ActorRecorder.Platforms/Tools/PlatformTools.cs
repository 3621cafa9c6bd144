using System.Globalization;
using System.Text.RegularExpressions;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.Platforms.Tools;

/// <summary>How a platform tool is installed, which decides how it can be updated in place.</summary>
public enum ToolInstallation
{
    /// <summary>Not found on PATH or at its path.</summary>
    Missing,

    /// <summary>In a Python virtual environment (a <c>pyvenv.cfg</c> above its <c>bin/</c>): <c>pip install -U</c> there.</summary>
    VirtualEnvironment,

    /// <summary>Owned by a system package (dpkg): the system's package manager updates it, not the node.</summary>
    SystemPackage,

    /// <summary>yt-dlp's standalone binary: <c>yt-dlp -U</c> replaces itself.</summary>
    Standalone,

    /// <summary>Installed some other way (pip --user, pipx, by hand): updated the way it was installed.</summary>
    Other,
}

/// <summary>One tool as the node found it.</summary>
/// <param name="Name">yt-dlp or streamlink.</param>
/// <param name="Path">Where it is (the configured path, or where PATH finds the bare name); null when missing.</param>
/// <param name="Version">What <c>--version</c> printed, read (<c>2023.03.04</c>, <c>5.2.1</c>); null when it could not run.</param>
/// <param name="Released">yt-dlp's release date (its version is a date); null for other tools.</param>
/// <param name="Problem">Why it cannot be used, or why it is old; null when neither.</param>
public sealed record ToolReport(string Name, string? Path, string? Version, DateOnly? Released, ToolInstallation Installation, string? Problem)
{
    public bool Old { get; init; }
}

/// <summary>What an update did: the versions before and after, the command, and its last lines.</summary>
public sealed record ToolUpdate(string Name, bool Updated, string? Before, string? After, string? Command, string Message);

/// <summary>
/// The platform tools the <c>ytdlp</c> resolver runs (yt-dlp, streamlink): their versions, how they are installed, and an
/// update in place the way the installation allows — <c>pip install -U</c> in the tool's own virtual environment, or
/// <c>yt-dlp -U</c> for yt-dlp's standalone binary. A tool owned by a system package is not touched: the report says
/// how to get a current one. Updating never stops the node or a recording: the next check runs the new version.
/// </summary>
public sealed partial class PlatformTools(string ytDlpPath, string streamlinkPath, TimeSpan maxAge, TimeProvider time)
{
    private static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan UpdateTimeout = TimeSpan.FromMinutes(5);
    /// <summary>How long a report is reused (readiness asks often; a tool's version changes with an update, which drops it).</summary>
    private static readonly TimeSpan ReportLifetime = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _updating = new(1, 1);
    private volatile Tuple<DateTimeOffset, IReadOnlyList<ToolReport>>? _report;

    public static readonly IReadOnlyList<string> Names = ["yt-dlp", "streamlink"];

    /// <summary>Both tools, as found within the last five minutes (a report is reused that long; an update drops it).</summary>
    public async Task<IReadOnlyList<ToolReport>> ReportAsync(CancellationToken cancellationToken = default)
    {
        if (_report is { } cached && time.GetUtcNow() - cached.Item1 < ReportLifetime)
        {
            return cached.Item2;
        }
        var reports = await InspectAsync(cancellationToken).ConfigureAwait(false);
        _report = Tuple.Create(time.GetUtcNow(), reports);
        return reports;
    }

    /// <summary>Both tools, as found now.</summary>
    public async Task<IReadOnlyList<ToolReport>> InspectAsync(CancellationToken cancellationToken = default) =>
        [await InspectAsync("yt-dlp", cancellationToken).ConfigureAwait(false), await InspectAsync("streamlink", cancellationToken).ConfigureAwait(false)];

    /// <summary>One tool (<see cref="Names"/>), as found now.</summary>
    public async Task<ToolReport> InspectAsync(string name, CancellationToken cancellationToken = default)
    {
        var configured = ConfiguredPath(name);
        if (Locate(configured) is not { } path)
        {
            return new ToolReport(name, null, null, null, ToolInstallation.Missing,
                $"'{configured}' is not found: install {name} (see the README) or set tools.{name}");
        }
        string? version;
        try
        {
            version = ReadVersion(name, await Tool.RunAsync(path, ["--version"], VersionTimeout, cancellationToken).ConfigureAwait(false));
        }
        catch (ProcessFailedException ex)
        {
            return new ToolReport(name, path, null, null, await InstallationOf(path, cancellationToken).ConfigureAwait(false),
                $"'{path} --version' failed: {ex.StderrTail.LastOrDefault() ?? ex.Reason}");
        }
        var installation = await InstallationOf(path, cancellationToken).ConfigureAwait(false);
        var released = name == "yt-dlp" && version is not null ? ReleaseDate(version) : null;
        var age = released is { } day ? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).DayNumber - day.DayNumber : (int?)null;
        var old = age is { } days && days > maxAge.TotalDays;
        return new ToolReport(name, path, version, released, installation,
            old ? $"yt-dlp {version} is {age} days old (tools.max-age is {maxAge.TotalDays:0} days): platforms change every week; update it ({UpdateHint(installation)})" : null)
        {
            Old = old,
        };
    }

    /// <summary>
    /// Updates the tool the way its installation allows and says what happened. One update runs at a time; a tool that
    /// cannot be updated here is reported with the reason, not an error.
    /// </summary>
    public async Task<ToolUpdate> UpdateAsync(string name, CancellationToken cancellationToken = default)
    {
        await _updating.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var before = await InspectAsync(name, cancellationToken).ConfigureAwait(false);
            (string Executable, string[] Arguments)? command = before.Installation switch
            {
                ToolInstallation.VirtualEnvironment => (System.IO.Path.Combine(System.IO.Path.GetDirectoryName(before.Path!)!, "pip"),
                    ["install", "--upgrade", "--disable-pip-version-check", name]),
                ToolInstallation.Standalone => (before.Path!, ["-U"]),
                _ => null,
            };
            if (command is not { } run)
            {
                return new ToolUpdate(name, false, before.Version, before.Version, null, before.Installation switch
                {
                    ToolInstallation.Missing => before.Problem!,
                    ToolInstallation.SystemPackage => $"{before.Path} belongs to a system package: {UpdateHint(ToolInstallation.SystemPackage)}",
                    _ => $"{before.Path} is neither in a virtual environment nor a standalone binary: {UpdateHint(before.Installation)}",
                });
            }
            var line = CommandLine.Format(run.Executable, run.Arguments);
            string output;
            try
            {
                output = await Tool.RunAsync(run.Executable, run.Arguments, UpdateTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (ProcessFailedException ex)
            {
                return new ToolUpdate(name, false, before.Version, before.Version, line,
                    $"the update failed ({ex.Reason}): {string.Join(" | ", ex.StderrTail.TakeLast(3))}");
            }
            _report = null;
            var after = await InspectAsync(name, cancellationToken).ConfigureAwait(false);
            var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
            return new ToolUpdate(name, after.Version != before.Version, before.Version, after.Version, line,
                after.Version == before.Version ? $"already the newest: {after.Version} ({last})" : $"updated from {before.Version} to {after.Version}");
        }
        finally
        {
            _updating.Release();
        }
    }

    private string ConfiguredPath(string name) => name switch
    {
        "yt-dlp" => ytDlpPath,
        "streamlink" => streamlinkPath,
        _ => throw new ArgumentException($"unknown tool '{name}'; known: {string.Join(", ", Names)}", nameof(name)),
    };

    private static string UpdateHint(ToolInstallation installation) => installation switch
    {
        ToolInstallation.VirtualEnvironment or ToolInstallation.Standalone => "actorrecorder tools update",
        _ => "install a current one into a virtual environment (python3 -m venv /opt/actorrecorder-tools && "
            + "/opt/actorrecorder-tools/bin/pip install yt-dlp streamlink) and point tools.yt-dlp and tools.streamlink at its bin/",
    };

    /// <summary>The executable a configured name or path stands for, following symbolic links; null when there is none.</summary>
    public static string? Locate(string configured)
    {
        var candidate = configured.Contains('/', StringComparison.Ordinal)
            ? configured
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(directory => System.IO.Path.Combine(directory, configured)).FirstOrDefault(File.Exists);
        return candidate is not null && File.Exists(candidate) ? System.IO.Path.GetFullPath(candidate) : null;
    }

    /// <summary>A virtual environment's <c>bin/</c> (its <c>pyvenv.cfg</c> one level up); else a dpkg-owned file; else yt-dlp's binary.</summary>
    private static async Task<ToolInstallation> InstallationOf(string path, CancellationToken cancellationToken)
    {
        var bin = System.IO.Path.GetDirectoryName(path)!;
        if (File.Exists(System.IO.Path.Combine(bin, "..", "pyvenv.cfg")))
        {
            return ToolInstallation.VirtualEnvironment;
        }
        var real = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        try
        {
            await Tool.RunAsync("dpkg-query", ["-S", real], VersionTimeout, cancellationToken).ConfigureAwait(false);
            return ToolInstallation.SystemPackage;
        }
        catch (ProcessFailedException)
        {
            // not a package's file (or no dpkg here)
        }
        return System.IO.Path.GetFileName(path).StartsWith("yt-dlp", StringComparison.Ordinal) && !IsPythonEntryPoint(real)
            ? ToolInstallation.Standalone
            : ToolInstallation.Other;
    }

    /// <summary>A pip-installed command is a small script that imports its package; yt-dlp's own binary is not.</summary>
    private static bool IsPythonEntryPoint(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            var head = new byte[4096];
            var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return System.Text.Encoding.UTF8.GetString(head, 0, read).Contains("from yt_dlp", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The version in a tool's <c>--version</c> output: its first line, without the tool's name.</summary>
    private static string? ReadVersion(string name, string output)
    {
        var first = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return first is null ? null : first.StartsWith(name + " ", StringComparison.OrdinalIgnoreCase) ? first[(name.Length + 1)..].Trim() : first;
    }

    /// <summary>yt-dlp's versions are release dates: <c>2023.03.04</c> (a nightly adds <c>.234512</c>).</summary>
    public static DateOnly? ReleaseDate(string version) =>
        DateVersion().Match(version) is { Success: true } match
        && DateOnly.TryParseExact(match.Value, "yyyy.MM.dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    [GeneratedRegex(@"^\d{4}\.\d{2}\.\d{2}", RegexOptions.CultureInvariant)]
    private static partial Regex DateVersion();
}
