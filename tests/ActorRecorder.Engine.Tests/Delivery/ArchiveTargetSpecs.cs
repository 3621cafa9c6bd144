using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Delivery;

namespace ActorRecorder.Engine.Tests.Delivery;

public sealed class ArchiveTargetSpecs : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ar-archive-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void The_folder_name_must_carry_the_start_time_and_a_sanitised_title()
    {
        var at = new DateTimeOffset(2026, 11, 21, 20, 5, 0, TimeSpan.Zero);
        var stamp = at.ToLocalTime().ToString("yyyy-MM-dd_HH-mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"{stamp}_Evening _ chat_ rm -rf _", ArchiveTarget.FolderName(at, "Evening / chat; rm -rf /"));
        Assert.Equal($"{stamp}_hidden", ArchiveTarget.FolderName(at, "..hidden"));
        Assert.Equal(stamp, ArchiveTarget.FolderName(at, null));
        Assert.Equal(80, ArchiveTarget.FolderName(at, new string('x', 500)).Length - stamp.Length - 1);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_part_must_land_under_its_final_name_only_once_complete_and_again_idempotently()
    {
        var source = Path.Combine(_root, "part-01.mp4");
        Directory.CreateDirectory(_root);
        await File.WriteAllBytesAsync(source, Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray());
        var item = new DeliveryItem("alice", "s1", "Title", DateTimeOffset.UnixEpoch, new PartInfo(1, source, 100_000, TimeSpan.FromSeconds(5), 320, 240, null), 3);
        var target = new ArchiveTarget(Path.Combine(_root, "archive"));

        var first = await target.DeliverAsync(item, CancellationToken.None);
        var again = await target.DeliverAsync(item, CancellationToken.None);

        Assert.Equal(first, again);
        Assert.EndsWith("part-01.mp4", first);
        Assert.Equal(await File.ReadAllBytesAsync(source), await File.ReadAllBytesAsync(first));
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(first)!, "*.partial"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
