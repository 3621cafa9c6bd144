using ActorRecorder.Platforms.Tools;

namespace ActorRecorder.Platforms.Tests;

/// <summary>
/// The platform tools: Debian's real yt-dlp and streamlink for versions and their installation, and stand-in tool scripts
/// for the update paths (nothing here can reach PyPI or GitHub): a virtual environment whose pip "installs" a newer
/// yt-dlp, and a standalone yt-dlp whose <c>-U</c> replaces itself.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ToolsSpecs : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ar-tools-" + Guid.NewGuid().ToString("N")[..8]);

    public ToolsSpecs() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static PlatformTools Tools(string ytDlp = "yt-dlp", string streamlink = "streamlink") =>
        new(ytDlp, streamlink, TimeSpan.FromDays(60), TimeProvider.System);

    [Fact]
    public async Task Debian_s_tools_must_report_their_versions_their_package_and_yt_dlp_s_age()
    {
        var reports = await Tools().InspectAsync();
        var ytDlp = reports.Single(r => r.Name == "yt-dlp");
        Assert.Equal("/usr/bin/yt-dlp", ytDlp.Path);
        Assert.Matches(@"^\d{4}\.\d{2}\.\d{2}", ytDlp.Version);
        Assert.Equal(PlatformTools.ReleaseDate(ytDlp.Version!), ytDlp.Released);
        Assert.Equal(ToolInstallation.SystemPackage, ytDlp.Installation);
        Assert.True(ytDlp.Old, "Debian's yt-dlp is years older than 60 days");
        Assert.Contains("days old (tools.max-age is 60 days): platforms change every week", ytDlp.Problem);
        var streamlink = reports.Single(r => r.Name == "streamlink");
        Assert.Matches(@"^\d+\.\d+", streamlink.Version);
        Assert.Null(streamlink.Problem);

        var refused = await Tools().UpdateAsync("yt-dlp");
        Assert.False(refused.Updated);
        Assert.Null(refused.Command);
        Assert.StartsWith("/usr/bin/yt-dlp belongs to a system package: install a current one into a virtual environment", refused.Message);
    }

    [Fact]
    public async Task A_tool_in_a_virtual_environment_must_be_updated_by_its_pip_and_say_from_what_to_what()
    {
        var venv = Path.Combine(_root, "venv");
        Directory.CreateDirectory(Path.Combine(venv, "bin"));
        await File.WriteAllTextAsync(Path.Combine(venv, "pyvenv.cfg"), "home = /usr/bin\n");
        await File.WriteAllTextAsync(Path.Combine(venv, "version"), "2023.03.04\n");
        var ytDlp = Script(Path.Combine(venv, "bin", "yt-dlp"), """
            [ "$1" = "--version" ] && exec cat "$(dirname "$0")/../version"
            exit 2
            """);
        Script(Path.Combine(venv, "bin", "pip"), """
            [ "$*" = "install --upgrade --disable-pip-version-check yt-dlp" ] || { echo "unexpected: $*" >&2; exit 3; }
            echo 2026.12.01 > "$(dirname "$0")/../version"
            echo "Successfully installed yt-dlp-2026.12.1"
            """);

        var tools = Tools(ytDlp);
        var before = await tools.InspectAsync("yt-dlp");
        Assert.Equal(ToolInstallation.VirtualEnvironment, before.Installation);
        var update = await tools.UpdateAsync("yt-dlp");
        Assert.True(update.Updated);
        Assert.Equal(("2023.03.04", "2026.12.01"), (update.Before, update.After));
        Assert.Equal("updated from 2023.03.04 to 2026.12.01", update.Message);
        Assert.Contains("pip install --upgrade --disable-pip-version-check yt-dlp", update.Command);
        Assert.Equal("2026.12.01", (await tools.ReportAsync()).Single(r => r.Name == "yt-dlp").Version); // the cached report was dropped

        var again = await tools.UpdateAsync("yt-dlp");
        Assert.False(again.Updated);
        Assert.Equal("already the newest: 2026.12.01 (Successfully installed yt-dlp-2026.12.1)", again.Message);
    }

    [Fact]
    public async Task A_standalone_yt_dlp_must_update_itself_and_a_failed_update_must_say_why()
    {
        var dir = Path.Combine(_root, "standalone");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "version"), "2025.01.15\n");
        var ytDlp = Script(Path.Combine(dir, "yt-dlp"), """
            here="$(dirname "$0")"
            case "$1" in
              --version) exec cat "$here/version" ;;
              -U) [ -e "$here/offline" ] && { echo "ERROR: Unable to obtain version info (<urlopen error [Errno -3]>)" >&2; exit 1; }
                  echo 2026.12.01 > "$here/version"; echo "Updated yt-dlp to stable@2026.12.01" ;;
            esac
            """);
        await File.WriteAllTextAsync(Path.Combine(dir, "offline"), "");
        var tools = Tools(ytDlp);
        Assert.Equal(ToolInstallation.Standalone, (await tools.InspectAsync("yt-dlp")).Installation);
        var failed = await tools.UpdateAsync("yt-dlp");
        Assert.False(failed.Updated);
        Assert.Contains("the update failed", failed.Message);
        Assert.Contains("Unable to obtain version info", failed.Message);

        File.Delete(Path.Combine(dir, "offline"));
        var update = await tools.UpdateAsync("yt-dlp");
        Assert.Equal(("2025.01.15", "2026.12.01", true), (update.Before, update.After, update.Updated));
        Assert.EndsWith("yt-dlp -U", update.Command);
    }

    [Fact]
    public async Task A_missing_tool_must_be_reported_with_what_to_do()
    {
        var report = await Tools(ytDlp: Path.Combine(_root, "nowhere", "yt-dlp")).InspectAsync("yt-dlp");
        Assert.Equal(ToolInstallation.Missing, report.Installation);
        Assert.Equal($"'{Path.Combine(_root, "nowhere", "yt-dlp")}' is not found: install yt-dlp (see the README) or set tools.yt-dlp", report.Problem);
        Assert.Equal(report.Problem, (await Tools(ytDlp: Path.Combine(_root, "nowhere", "yt-dlp")).UpdateAsync("yt-dlp")).Message);
    }

    private static string Script(string path, string body)
    {
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
