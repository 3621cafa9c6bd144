using System.Security.Cryptography;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Splitting;
using ActorRecorder.Engine.Tests.Channel;
using Xunit.Abstractions;

namespace ActorRecorder.Engine.Tests.Delivery;

public sealed class DeliverySpecs : ChannelSpec
{
    private readonly ITestOutputHelper _output;

    public DeliverySpecs(ITestOutputHelper output) : base(output) => _output = output;

    private string ArchivePath => Path.Combine(Root, "archive");

    private ChannelSettings WithArchive(bool deleteAfterUpload = false) => Settings(grace: TimeSpan.FromSeconds(2)) with
    {
        Delivery = new DeliverySettings(["archive"], deleteAfterUpload, ArchivePath, 300 * 1024, TimeSpan.FromSeconds(0.5), PartFormat.Mp4),
    };

    [Fact(Timeout = 150_000)]
    public async Task Every_part_must_reach_the_archive_in_order_byte_identical_playable_and_adding_up_to_the_session()
    {
        StartChannel(WithArchive());
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
        var recorded = (await StatusOfEvents()).OfType<SegmentRecorded>().Sum(s => s.Duration.TotalSeconds);
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
        StartChannel(WithArchive(deleteAfterUpload: true));
        var started = await RecordABroadcast();
        var deleted = await Next<LocalFilesDeleted>(d => d.SessionId == started.SessionId, TimeSpan.FromSeconds(90));
        await Next<SessionCompleted>();
        Assert.True(deleted.Bytes > 0);
        Assert.Empty(Directory.EnumerateFiles(started.Directory, "*.ts", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(started.Directory, "*.mp4", SearchOption.AllDirectories));
        Assert.NotEmpty(Directory.EnumerateFiles(ArchivePath, "part-*.mp4", SearchOption.AllDirectories));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_channel_stopped_during_delivery_must_send_only_the_parts_without_PartUploaded_after_restart()
    {
        var gate = new SemaphoreSlim(0);
        var settings = WithArchive();
        var channel = StartChannel(settings, Services with { UploadGate = gate });
        var started = await RecordABroadcast();
        var planned = await Next<PartsPlanned>(p => p.SessionId == started.SessionId, TimeSpan.FromSeconds(90));
        gate.Release();
        var first = await Next<PartUploaded>();
        Watch(channel);
        Sys.Stop(channel);
        await ExpectTerminatedAsync(channel, Patience);

        StartChannel(settings, Services with { UploadGate = new SemaphoreSlim(4) });
        await Next<SessionCompleted>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(90));

        var uploads = (await StatusOfEvents()).OfType<PartUploaded>().ToList();
        _output.WriteLine($"parts {planned.Parts.Count}, uploads {uploads.Count}, first {first.Part}");
        Assert.Equal(planned.Parts.Select(p => p.Number), uploads.Select(u => u.Part).Order());
        Assert.Equal(uploads.Count, uploads.Select(u => u.Part).Distinct().Count());
    }

    private async Task<IReadOnlyList<IChannelEvent>> StatusOfEvents()
    {
        var journal = Persistence.PersistenceExtension.Get(Sys).Settings.Journal;
        var serializer = Persistence.PersistenceExtension.Get(Sys).Settings.Serializer;
        var rows = new List<Persistence.Journal.PersistentRepr>();
        await journal.ReplayMessagesAsync("channel-demo", 1, long.MaxValue, long.MaxValue, rows.Add);
        return rows.Select(r => (IChannelEvent)serializer.Deserialize(r.Manifest, r.Payload)).ToList();
    }

    private static string Sha(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
