using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Splitting;
using ActorRecorder.Media.Synthetic;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.InProcess;

/// <summary>
/// A live HLS stream whose segments carry a data stream no demuxer can identify: ffmpeg's and ffprobe's default probes read
/// it to their limits first (105 s on this 300 kbit/s stream). It must be recorded from the start of the broadcast, in one
/// attempt, into each recording container, and cut into MP4 parts.
/// </summary>
public sealed class SlowProbingSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    protected override SyntheticSourceOptions SourceOptions =>
        new() { Width = 320, Height = 180, VideoBitrate = 300_000, SegmentDuration = TimeSpan.FromSeconds(2), DataStream = true, UnidentifiedData = true };

    [Theory(Timeout = 150_000)]
    [InlineData("ts")]
    [InlineData("mkv")]
    public async Task A_stream_with_an_unidentifiable_data_stream_must_be_recorded_from_its_start_in_one_attempt(string container)
    {
        await StartNodeAsync(grace: "2s", extra: $"recording.container = {container}");
        await Configure(Settings with
        {
            Delivery = new DeliverySettings(["archive"], false, ArchivePath, 4L << 30, TimeSpan.FromSeconds(0.5), PartFormat.Mp4),
        });
        await Source.GoLiveAsync();
        var started = await Next<SessionStarted>();
        for (var i = 0; i < 5; i++)
        {
            await Next<SegmentRecorded>(s => s.SessionId == started.SessionId && !s.Adopted);
        }
        await Source.EndAsync();
        await Next<SessionCompleted>(c => c.SessionId == started.SessionId, TimeSpan.FromSeconds(90));

        var journal = (await JournalAsync()).ToList();
        Assert.Single(journal.OfType<RecordingAttemptStarted>(), a => a.SessionId == started.SessionId);
        Assert.DoesNotContain(journal.OfType<RecordingAttemptEnded>(), e => e.Outcome is "Failed" or "Stalled");
        var recorded = TimeSpan.FromTicks(journal.OfType<SegmentRecorded>().Where(s => s.SessionId == started.SessionId).Sum(s => s.Duration.Ticks));
        var broadcast = Source.LastBroadcastDuration;
        Output.WriteLine($"broadcast {broadcast.TotalSeconds:0.0} s, recorded {recorded.TotalSeconds:0.0} s");
        // The monitor polls every second and ffmpeg starts at the playlist's first segments: at most a few seconds are missed.
        Assert.True(recorded >= broadcast - TimeSpan.FromSeconds(5), $"recorded {recorded.TotalSeconds:0.0} s of a {broadcast.TotalSeconds:0.0} s broadcast");
        var parts = journal.OfType<PartsPlanned>().Single(p => p.SessionId == started.SessionId).Parts;
        foreach (var part in parts)
        {
            var probe = await new Ffprobe().ProbeAsync(part.Path, TimeSpan.FromSeconds(20));
            Assert.True(probe.HasVideo && probe.HasAudio, $"{part.Path}: {string.Join(", ", probe.Streams.Select(s => s.CodecType))}");
            Assert.Equal("mov,mp4,m4a,3gp,3g2,mj2", probe.FormatName);
        }
    }
}
