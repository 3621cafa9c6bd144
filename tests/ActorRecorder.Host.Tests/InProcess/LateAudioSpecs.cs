using ActorRecorder.Engine.Channel;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Synthetic;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.InProcess;

/// <summary>
/// A live stream whose audio starts 8 s after its picture: ffmpeg's narrow first probe misses the audio and refuses to
/// start; the next attempt probes widely and records picture and sound from the start of the broadcast.
/// </summary>
public sealed class LateAudioSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    protected override SyntheticSourceOptions SourceOptions =>
        new() { Width = 320, Height = 180, VideoBitrate = 300_000, SegmentDuration = TimeSpan.FromSeconds(2), AudioDelay = TimeSpan.FromSeconds(8) };

    [Fact(Timeout = 150_000)]
    public async Task A_stream_whose_audio_comes_late_must_be_probed_widely_after_one_quick_failure_and_recorded_with_its_audio()
    {
        await StartNodeAsync(grace: "2s");
        await Source.GoLiveAsync();
        var started = await Next<SessionStarted>();
        var first = await Next<RecordingAttemptEnded>(e => e.SessionId == started.SessionId);
        Assert.Equal("Failed", first.Outcome);
        var wide = await Next<RecordingAttemptStarted>(a => a.SessionId == started.SessionId && a.Attempt == 2);
        for (var i = 0; i < 6; i++)
        {
            await Next<SegmentRecorded>(s => s.SessionId == started.SessionId && s.Attempt == wide.Attempt && !s.Adopted);
        }
        await Source.EndAsync();
        await Next<SessionEnded>(e => e.SessionId == started.SessionId);

        var journal = (await JournalAsync()).ToList();
        var segments = journal.OfType<SegmentRecorded>().Where(s => s.SessionId == started.SessionId).ToList();
        Assert.All(segments, s => Assert.Equal(wide.Attempt, s.Attempt)); // the failed attempt wrote nothing
        Assert.Equal(2, journal.OfType<RecordingAttemptStarted>().Count(a => a.SessionId == started.SessionId)); // no third
        var recorded = TimeSpan.FromTicks(segments.Sum(s => s.Duration.Ticks));
        Output.WriteLine($"broadcast {Source.LastBroadcastDuration.TotalSeconds:0.0} s, recorded {recorded.TotalSeconds:0.0} s");
        Assert.True(recorded >= Source.LastBroadcastDuration - TimeSpan.FromSeconds(5), $"recorded {recorded.TotalSeconds:0.0} s of {Source.LastBroadcastDuration.TotalSeconds:0.0} s");
        var late = await new Ffprobe().ProbeAsync(segments[^2].Path, TimeSpan.FromSeconds(20));
        Assert.True(late.HasVideo && late.HasAudio, "a segment after the audio began has picture and sound");
    }
}
