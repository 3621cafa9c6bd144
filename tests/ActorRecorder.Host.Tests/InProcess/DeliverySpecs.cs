using System.Security.Cryptography;
using Akka.Actor;
using Akka.Cluster.Sharding;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Splitting;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.InProcess;

public sealed class DeliverySpecs(ITestOutputHelper output) : NodeSpec(output)
{
    /// <summary>Parts of at most 300 KiB (below what a configuration allows, so a short broadcast gives several).</summary>
    private ChannelSettings WithArchive(bool deleteAfterUpload = false) => Settings with
    {
        Delivery = new DeliverySettings(["archive"], deleteAfterUpload, ArchivePath, 300 * 1024, TimeSpan.FromSeconds(0.5), PartFormat.Mp4),
    };

    private async Task StartWithArchiveAsync(bool deleteAfterUpload = false, SemaphoreSlim? gate = null)
    {
        await StartNodeAsync(grace: "2s", customize: gate is null ? null : services => services with { UploadGate = gate });
        await Configure(WithArchive(deleteAfterUpload));
    }

    [Fact(Timeout = 150_000)]
    public async Task Every_part_must_reach_the_archive_in_order_byte_identical_playable_and_adding_up_to_the_session()
    {
        await StartWithArchiveAsync();
        var started = await RecordABroadcast();
        var planned = await Next<PartsPlanned>(p => p.SessionId == started.SessionId, TimeSpan.FromSeconds(90));
        Assert.True(planned.Parts.Count >= 2, $"{planned.Parts.Count} parts");
        var uploads = new List<PartUploaded>();
        for (var i = 0; i < planned.Parts.Count; i++)
        {
            uploads.Add(await Next<PartUploaded>());
        }
        await Next<SessionCompleted>(c => c.SessionId == started.SessionId);

        Assert.Equal(planned.Parts.Select(p => p.Number), uploads.Select(u => u.Part));
        var recorded = (await JournalAsync()).OfType<SegmentRecorded>().Sum(s => s.Duration.TotalSeconds);
        Assert.InRange(planned.Parts.Sum(p => p.Duration.TotalSeconds), recorded - planned.Parts.Count, recorded + planned.Parts.Count);
        foreach (var (part, upload) in planned.Parts.Zip(uploads))
        {
            Assert.True(part.Bytes <= 300 * 1024, $"part {part.Number} is {part.Bytes} bytes");
            Assert.StartsWith(Path.Combine(ArchivePath, "demo"), upload.Location);
            Assert.Equal(Sha(part.Path), Sha(upload.Location));
            Assert.True((await new Ffprobe().ProbeAsync(upload.Location, TimeSpan.FromSeconds(20))).HasVideo);
        }
    }

    [Fact(Timeout = 150_000)]
    public async Task Delete_after_upload_must_remove_local_files_only_once_every_part_is_confirmed()
    {
        await StartWithArchiveAsync(deleteAfterUpload: true);
        var started = await RecordABroadcast();
        var completed = await Next<SessionCompleted>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(90));
        Assert.True(completed.DeleteLocalFiles);
        var deleted = await Next<LocalFilesDeleted>(d => d.SessionId == started.SessionId);
        Assert.True(deleted.Bytes > 0);
        Assert.Empty(Directory.EnumerateFiles(started.Directory, "*.ts", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(started.Directory, "*.mp4", SearchOption.AllDirectories));
        Assert.NotEmpty(Directory.EnumerateFiles(ArchivePath, "part-*.mp4", SearchOption.AllDirectories));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_failed_delete_must_be_logged_and_retried_without_stopping_the_channel()
    {
        var gate = new SemaphoreSlim(0); // the uploads wait until the obstacle below is in place, however slow this spec runs
        await StartWithArchiveAsync(deleteAfterUpload: true, gate: gate);
        var started = await RecordABroadcast();
        await Next<PartsPlanned>(p => p.SessionId == started.SessionId, TimeSpan.FromSeconds(90));
        // Something else put a folder into the parts folder: removing it fails (IOException: not empty), even as root.
        var stuck = Directory.CreateDirectory(Path.Combine(started.Directory, "parts", "not-ours"));
        await File.WriteAllTextAsync(Path.Combine(stuck.FullName, "file"), "x");
        gate.Release(100);

        await Next<SessionCompleted>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(60));
        // The channel keeps working: the next broadcast is recorded while the clean-up waits for its retry.
        await Source.GoLiveAsync();
        var next = await Next<SessionStarted>();
        Assert.NotEqual(started.SessionId, next.SessionId);
        Assert.DoesNotContain(await JournalAsync(), e => e is LocalFilesDeleted);

        stuck.Delete(recursive: true);
        await Next<LocalFilesDeleted>(d => d.SessionId == started.SessionId, TimeSpan.FromSeconds(90));
        Assert.False(Directory.Exists(Path.Combine(started.Directory, "parts")));
        Assert.Empty(Directory.EnumerateFiles(started.Directory, "*.ts"));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_channel_that_dies_during_delivery_must_send_only_the_parts_without_PartUploaded_after_it_comes_back()
    {
        var gate = new SemaphoreSlim(0);
        await StartWithArchiveAsync(gate: gate);
        var started = await RecordABroadcast();
        var planned = await Next<PartsPlanned>(p => p.SessionId == started.SessionId, TimeSpan.FromSeconds(90));
        gate.Release();
        var first = await Next<PartUploaded>();

        Region.Tell(new ShardingEnvelope("demo", PoisonPill.Instance)); // its uploader (waiting at the gate) dies with it
        gate.Release(100);
        await Next<SessionCompleted>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(90));

        var uploads = (await JournalAsync()).OfType<PartUploaded>().ToList();
        Output.WriteLine($"parts {planned.Parts.Count}, uploads {uploads.Count}, first {first.Part}");
        Assert.Equal(planned.Parts.Select(p => p.Number), uploads.Select(u => u.Part));
    }

    private static string Sha(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
