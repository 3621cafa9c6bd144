using System.Security.Cryptography;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Media.Processes;
using ActorRecorder.Telegram.FakeServer;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests;

/// <summary>
/// Delivery as a user meets it: Telegram answers 429 (retry after 2 s) to every third upload, and the node is
/// SIGKILLed while it waits out such a flood limit, then started again. One channel has one incarnation and one
/// delivery worker at a time, so: no journal write conflict, one LIVE message, one plan, every part once in
/// order, and at most one duplicate (the part Telegram may have taken just before the kill).
/// </summary>
public sealed class FloodCrashSpecs(ITestOutputHelper output)
{
    private const string Token = "515151:flood-test";

    [Fact(Timeout = 300_000)]
    public async Task A_node_killed_during_a_flood_wait_must_deliver_the_broadcast_once_in_order()
    {
        await using var node = new NodeWorkspace(new Media.Synthetic.SyntheticSourceOptions { Width = 640, Height = 360, VideoBitrate = 3_000_000 });
        await using var fake = await FakeBotApi.StartAsync(Token);
        fake.EveryNth("sendVideo", 3, Fault.TooManyRequests(2));
        await node.Source.GoLiveAsync();
        node.WriteTelegramConfig(fake.BaseUrl, Token, maxPartSize: "3MB", speedLimit: "2MiB");
        var log = new List<string>();
        var process = node.StartNode(log);
        await node.WaitForAsync("demo", e => e.OfType<SegmentRecorded>().Sum(s => s.Duration.TotalSeconds) >= 30, "30 s recorded", TimeSpan.FromSeconds(120));
        await node.Source.EndAsync();
        var planned = (await node.WaitForAsync("demo", e => e.OfType<PartsPlanned>().Any(), "the parts planned", TimeSpan.FromSeconds(90)))
            .OfType<PartsPlanned>().Single();
        output.WriteLine($"{planned.Parts.Count} parts planned");
        Assert.True(planned.Parts.Count >= 4, $"{planned.Parts.Count} parts");

        // Kill while the node waits out a 429 after at least one part went through: as soon as it says it waits.
        await NodeWorkspace.Eventually(() => Task.FromResult(fake.Received.Any(r => r.Method == "sendVideo") && Waiting(log)),
            () => "a part delivered and the node waiting out a 429", TimeSpan.FromSeconds(120));
        process.Kill();
        await process.WaitForExitAsync();
        output.WriteLine($"killed with {fake.Received.Count(r => r.Method == "sendVideo")} parts received");
        process = node.StartNode(log);

        var final = await node.WaitForAsync("demo", e => e.OfType<SessionCompleted>().Any(), "the session completed", TimeSpan.FromSeconds(180));
        Signals.Send(process.Id, Signals.SigTerm);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var sent = fake.Received.Where(r => r.Method == "sendVideo").Select(r => r.Sha256!.ToUpperInvariant()).ToList();
        var expected = planned.Parts.Select(p => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p.Path)))).ToList();
        var duplicates = sent.Count - sent.Distinct().Count();
        output.WriteLine($"parts {planned.Parts.Count}, sendVideo answered {sent.Count}, duplicates {duplicates}, 429s {fake.Arrivals.Count(a => a.Fault is AnswerFault { StatusCode: 429 })}");
        Assert.Equal(expected, sent.Distinct().ToList()); // every part, in order
        Assert.InRange(duplicates, 0, 1);
        Assert.Single(final.OfType<SessionStarted>());
        Assert.Single(final.OfType<PartsPlanned>());
        Assert.Equal(planned.Parts.Count, final.OfType<PartUploaded>().Select(u => u.Part).Distinct().Count());
        Assert.Single(fake.Received, r => r.Method == "sendMessage"); // one LIVE message
        lock (log)
        {
            Assert.DoesNotContain(log, l => l.Contains("UNIQUE constraint", StringComparison.OrdinalIgnoreCase)
                || l.Contains("duplicate key", StringComparison.OrdinalIgnoreCase) || l.Contains("writing", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal));
        }
    }

    /// <summary>The node logged that it waits out a 429 of sendVideo (and the log never shows the token).</summary>
    private static bool Waiting(List<string> log)
    {
        lock (log)
        {
            Assert.DoesNotContain(log, l => l.Contains(Token, StringComparison.Ordinal));
            return log.Any(l => l.Contains("telegram sendVideo: attempt", StringComparison.Ordinal) && l.Contains("(429 ", StringComparison.Ordinal));
        }
    }
}
