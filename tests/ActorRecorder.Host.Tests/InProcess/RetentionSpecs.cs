using ActorRecorder.Engine;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Host.Management;
using ActorRecorder.Host.Tests.Management;
using ActorRecorder.Media.Processes;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.InProcess;

/// <summary>
/// Retention on a real, filling disk: the recordings folder is a 32 MiB tmpfs. Three broadcasts are recorded and delivered
/// to the archive, the first is pinned, a fourth is recording, and a filler file takes the disk below min-free-disk: with
/// <c>min-free-disk-action = purge</c> the two unpinned delivered sessions are deleted (journaled, oldest first) while the
/// recording goes on, and only then is recording held; the pinned and the open session keep every file.
/// </summary>
public sealed class RetentionSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    private const long MinFree = 12L << 20;

    [Fact(Timeout = 240_000)]
    public async Task A_filling_disk_must_purge_delivered_sessions_before_holding_recording_and_never_a_pinned_or_undelivered_one()
    {
        var recordings = Path.Combine(Root, "recordings");
        Directory.CreateDirectory(recordings);
        await Tool.RunAsync("mount", ["-t", "tmpfs", "-o", "size=32m", "tmpfs", recordings], TimeSpan.FromSeconds(30));
        try
        {
            await StartNodeAsync(grace: "1s", minFreeDisk: "12MiB", extra: """
                upload { targets = [archive], archive.path = archive }
                storage.retention.min-free-disk-action = purge
                """);
            var sessions = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                var started = await RecordABroadcast();
                await Next<SessionCompleted>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(60));
                sessions.Add(started.SessionId);
            }
            using var api = ManagementClient.For(Node);
            var (status, pinned) = await api.SendAsync(HttpMethod.Post, $"/api/recordings/{sessions[0]}/pin");
            Assert.Equal(202, status);
            Assert.True(pinned.GetProperty("pinned").GetBoolean());
            await Next<SessionPinned>();
            Assert.True((await api.GetAsync<List<RecordingView>>("/api/recordings")).Single(r => r.Session == sessions[0]).Pinned);

            await Source.GoLiveAsync();
            var open = await Next<SessionStarted>();
            await Next<SegmentRecorded>(s => s.SessionId == open.SessionId && s.Duration > TimeSpan.FromSeconds(1));
            var free = EngineServices.FreeBytesOf(recordings);
            await Fill(Path.Combine(recordings, "filler"), free - (MinFree - (4L << 20))); // 4 MiB short: two small sessions cannot make up for it

            var first = await Next<SessionPurged>(timeout: TimeSpan.FromSeconds(30));
            var second = await Next<SessionPurged>(timeout: TimeSpan.FromSeconds(30));
            Assert.Equal([sessions[1], sessions[2]], [first.SessionId, second.SessionId]);
            Assert.All([first, second], p => Assert.True(p.Bytes > 0, $"{p.SessionId} freed nothing"));
            Assert.Contains("less than min-free-disk (12582912 bytes)", first.Reason);
            var low = await Next<DiskSpaceLow>(timeout: TimeSpan.FromSeconds(30));

            var journal = await JournalAsync();
            var fromFill = journal.SkipWhile(e => e is not SessionPurged).TakeWhile(e => e is not DiskSpaceLow).ToList();
            Assert.DoesNotContain(fromFill, e => e is RecordingAttemptEnded); // recording went on while sessions were purged
            Assert.Equal(2, journal.OfType<SessionPurged>().Count());
            var listed = await api.GetAsync<List<RecordingView>>("/api/recordings");
            Assert.All(listed.Where(r => r.Session == sessions[1] || r.Session == sessions[2]), r => Assert.Contains("less than min-free-disk", r.PurgeReason));
            Assert.True(low.FreeBytes < MinFree);
            foreach (var id in sessions.Skip(1))
            {
                Assert.Empty(Directory.EnumerateFiles(Path.Combine(recordings, "demo", id), "*", SearchOption.AllDirectories));
            }
            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(recordings, "demo", sessions[0]), "*.ts")); // pinned
            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(recordings, "demo", open.SessionId), "*.ts")); // not delivered
            Assert.NotEmpty(Directory.EnumerateFiles(ArchivePath, "*.mp4", SearchOption.AllDirectories)); // the delivered copies stay

            File.Delete(Path.Combine(recordings, "filler"));
            await Next<DiskSpaceRecovered>(timeout: TimeSpan.FromSeconds(30));
            await Next<RecordingAttemptStarted>(timeout: TimeSpan.FromSeconds(30)); // recording again, now that there is room
        }
        finally
        {
            try
            {
                await StopNodeAsync();
            }
            catch (InvalidOperationException)
            {
                // the node did not start
            }
            await Tool.RunAsync("umount", ["-l", recordings], TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Writes real bytes (a sparse file would take no room on tmpfs).</summary>
    private static async Task Fill(string path, long bytes)
    {
        var chunk = new byte[1 << 20];
        Array.Fill(chunk, (byte)0x5a);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        for (var left = bytes; left > 0; left -= chunk.Length)
        {
            await file.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, left)));
        }
    }
}
