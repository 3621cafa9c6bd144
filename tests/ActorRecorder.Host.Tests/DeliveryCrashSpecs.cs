using ActorRecorder.Engine.Channel;
using ActorRecorder.Telegram.FakeServer;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests;

public sealed class DeliveryCrashSpecs(ITestOutputHelper output)
{
    private const string Token = "424242:crash-test";

    /// <summary>
    /// Kills the node with SIGKILL at random moments while it uploads, ten times, restarting it each time.
    /// Every part must arrive; a part may arrive twice only in the one window the Bot API cannot close
    /// (accepted by Telegram, killed before PartUploaded was written), so duplicates ≤ kills. With albums, the window is
    /// one album wide (accepted by Telegram, killed before AlbumUploaded was written): duplicates ≤ kills × album size.
    /// </summary>
    [Theory(Timeout = 300_000)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Uploads_killed_ten_times_must_deliver_every_part_with_duplicates_within_the_documented_window(int albumSize)
    {
        const int Kills = 10;
        await using var node = new NodeWorkspace(new Media.Synthetic.SyntheticSourceOptions { Width = 640, Height = 360, VideoBitrate = 1_500_000 });
        await using var fake = await FakeBotApi.StartAsync(Token);
        await node.Source.GoLiveAsync();
        // With albums, every message is also copied to a backup chat, through flood waits on the copies.
        var backup = albumSize > 1 ? "-1008" : "";
        fake.Enqueue("copyMessages", Fault.TooManyRequests(1));
        fake.Enqueue("copyMessages", Fault.TooManyRequests(1));
        node.WriteTelegramConfig(fake.BaseUrl, Token, maxPartSize: "1MiB", speedLimit: "400KiB", albumSize: albumSize, backupChat: backup);
        var log = new List<string>();
        var process = node.StartNode(log);
        await node.WaitForAsync("demo", e => e.OfType<SegmentRecorded>().Sum(s => s.Duration.TotalSeconds) >= 24, "24 s recorded", TimeSpan.FromSeconds(90));
        await node.Source.EndAsync();
        var planned = (await node.WaitForAsync("demo", e => e.OfType<PartsPlanned>().Any(), "the parts planned", TimeSpan.FromSeconds(90)))
            .OfType<PartsPlanned>().Single();
        output.WriteLine($"{planned.Parts.Count} parts planned");
        Assert.True(planned.Parts.Count >= 4, $"{planned.Parts.Count} parts");

        var random = new Random(20261121);
        var kills = 0;
        while (kills < Kills)
        {
            var events = await node.EventsAsync("demo");
            if (events.OfType<SessionCompleted>().Any())
            {
                break; // finished early: the remaining rounds have nothing to interrupt
            }
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 2500)));
            process.Kill();
            await process.WaitForExitAsync();
            kills++;
            process = node.StartNode(log);
        }
        var final = await node.WaitForAsync("demo", e => e.OfType<SessionCompleted>().Any(), "the session completed", TimeSpan.FromSeconds(180));
        await StopGracefully(process);

        var sent = fake.Received.Where(r => r.Method is "sendVideo" or "sendMediaGroup").ToList();
        var expected = planned.Parts.Select(p => Sha(p.Path)).ToList();
        var duplicates = sent.Count - sent.Select(r => r.Sha256!.ToUpperInvariant()).Distinct().Count();
        output.WriteLine($"album size {albumSize}, kills: {kills}, parts: {planned.Parts.Count}, videos sent: {sent.Count}, duplicates: {duplicates}");
        Assert.True(kills >= Kills, $"only {kills} kills happened before delivery finished");
        Assert.Equal(expected.Order(), sent.Select(r => r.Sha256!.ToUpperInvariant()).Distinct().Order());
        Assert.InRange(duplicates, 0, kills * albumSize);
        var uploaded = final.OfType<PartUploaded>().Select(u => u.Part).Concat(final.OfType<AlbumUploaded>().Where(a => a.Target == "telegram").SelectMany(a => a.Parts)).ToList();
        Assert.Equal(planned.Parts.Count, uploaded.Distinct().Count());
        Assert.Equal(uploaded.Count, uploaded.Distinct().Count()); // each part journaled once
        if (albumSize > 1)
        {
            Assert.Contains(final.OfType<AlbumUploaded>(), a => a.Target == "telegram");
        }
        var firstArrivals = sent.Select(r => r.Sha256!.ToUpperInvariant()).Distinct().ToList();
        Assert.Equal(expected, firstArrivals); // in order, however often the node died
        if (backup.Length > 0)
        {
            // The backup: every part, first copies in order, re-copied at most one album per kill, each copy journaled once.
            var copies = fake.MessagesIn(backup).Select(c => c.Sha256!.ToUpperInvariant()).ToList();
            output.WriteLine($"backup copies: {copies.Count}, duplicates: {copies.Count - copies.Distinct().Count()}");
            Assert.Equal(expected, copies.Distinct().ToList());
            Assert.InRange(copies.Count - copies.Distinct().Count(), 0, kills * albumSize);
            var copied = final.OfType<AlbumUploaded>().Where(a => a.Target == "telegram-backup").SelectMany(a => a.Parts).ToList();
            Assert.Equal(planned.Parts.Select(p => p.Number), copied);
        }
    }

    private static string Sha(string path) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

    private static async Task StopGracefully(System.Diagnostics.Process process)
    {
        Media.Processes.Signals.Send(process.Id, Media.Processes.Signals.SigTerm);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }
}
