using System.Diagnostics;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Host.Tests.Support;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.InProcess;

/// <summary>
/// The rclone target against a real remote (rclone serving WebDAV on loopback): every part of a broadcast reaches the
/// remote byte-identical, each exactly once, even when the rclone process copying a part is killed with SIGKILL mid-copy
/// (the part is sent again to the same path, which replaces it).
/// </summary>
public sealed class RcloneTargetSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact(Timeout = 180_000)]
    public async Task Every_part_must_reach_the_remote_once_and_byte_identical_even_after_a_SIGKILL_mid_copy()
    {
        await using var remote = await RcloneWebDav.StartAsync(Root);
        // 64 KiB/s: a part of a few hundred KiB takes seconds to copy, time enough to kill its rclone.
        await StartNodeAsync(grace: "1s", extra: $$"""
            upload {
              targets = [rclone]
              rclone { remote = "dav:recordings", config-file = "{{remote.ConfigFile}}", flags = [ "--bwlimit", "64k" ] }
            }
            """);
        var started = await RecordABroadcast();

        var killed = await KillFirstRcloneCopyAsync();
        Output.WriteLine($"killed rclone {killed}");
        var completed = await Next<SessionCompleted>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(120));

        var journal = await JournalAsync();
        var session = journal.OfType<PartsPlanned>().Single(p => p.SessionId == started.SessionId);
        var uploads = journal.OfType<PartUploaded>().Where(u => u.SessionId == started.SessionId && u.Target == "rclone").ToList();
        Assert.Equal(session.Parts.Select(p => p.Number), uploads.Select(u => u.Part).Order());
        var onRemote = Directory.EnumerateFiles(remote.Folder, "*", SearchOption.AllDirectories).ToList();
        Output.WriteLine(string.Join("\n", onRemote));
        foreach (var part in session.Parts)
        {
            var name = $"part-{part.Number:00}{Path.GetExtension(part.Path)}";
            var copy = Assert.Single(onRemote, f => Path.GetFileName(f) == name); // exactly once
            Assert.Equal(await File.ReadAllBytesAsync(part.Path), await File.ReadAllBytesAsync(copy));
            Assert.EndsWith($"/demo/{Path.GetFileName(Path.GetDirectoryName(copy))}/{name}", uploads.Single(u => u.Part == part.Number).Location);
        }
        Assert.DoesNotContain(onRemote, f => f.EndsWith(".partial", StringComparison.Ordinal));
        Assert.True(completed.At > started.At);
    }

    /// <summary>Waits for the node's first <c>rclone copyto</c> and kills it with SIGKILL; returns its pid.</summary>
    private async Task<int> KillFirstRcloneCopyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            foreach (var process in Process.GetProcessesByName("rclone"))
            {
                using (process)
                {
                    string commandLine;
                    try
                    {
                        commandLine = await File.ReadAllTextAsync($"/proc/{process.Id}/cmdline");
                    }
                    catch (IOException)
                    {
                        continue; // it ended meanwhile
                    }
                    if (commandLine.Contains("copyto\0", StringComparison.Ordinal) && commandLine.Contains(Root, StringComparison.Ordinal))
                    {
                        process.Kill(); // SIGKILL
                        return process.Id;
                    }
                }
            }
            Assert.False(timeout.IsCancellationRequested, "no rclone copyto within 60 s");
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
