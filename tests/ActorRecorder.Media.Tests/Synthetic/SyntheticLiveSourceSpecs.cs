using ActorRecorder.Media.Ffmpeg;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Processes;
using ActorRecorder.Media.Synthetic;

namespace ActorRecorder.Media.Tests.Synthetic;

public sealed class SyntheticLiveSourceSpecs(MediaFixture media) : IClassFixture<MediaFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 60_000)]
    public async Task The_source_must_be_offline_until_it_goes_live_and_then_probe_as_video_and_audio()
    {
        await using var source = SyntheticLiveSource.Start(new SyntheticSourceOptions { Width = 320, Height = 180 });
        var probe = new Ffprobe();
        await Assert.ThrowsAsync<ProcessFailedException>(() => probe.ProbeAsync(source.PlaylistUrl, Patience));
        await source.GoLiveAsync();
        var live = await probe.ProbeAsync(source.PlaylistUrl, Patience);
        Assert.Equal(320, live.Video?.Width);
        Assert.True(live.HasAudio);
        await source.DropAsync();
        Assert.False(source.IsLive);
        await Assert.ThrowsAsync<ProcessFailedException>(() => probe.ProbeAsync(source.PlaylistUrl, Patience));
    }

    [Fact(Timeout = 90_000)]
    public async Task A_recorder_must_capture_the_broadcast_and_exit_by_itself_when_it_ends()
    {
        await using var source = SyntheticLiveSource.Start(new SyntheticSourceOptions { Width = 320, Height = 180 });
        await source.GoLiveAsync();
        var dir = Path.Combine(media.Directory, "synthetic-rec");
        Directory.CreateDirectory(dir);
        var request = new RecordingRequest
        {
            InputUrl = source.PlaylistUrl,
            OutputDirectory = dir,
            FilePrefix = "live",
            SegmentDuration = TimeSpan.FromSeconds(2),
        };
        var parser = new ProgressParser();
        var fourSeconds = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var recorder = ChildProcess.Start("ffmpeg", FfmpegArguments.Record(request), line =>
        {
            if (parser.Feed(line)?.OutTime >= TimeSpan.FromSeconds(4))
            {
                fourSeconds.TrySetResult();
            }
        });
        await fourSeconds.Task.WaitAsync(Patience);
        await source.EndAsync();
        var result = await recorder.Completion.WaitAsync(Patience);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(StopReason.Exited, result.StopReason);
        var entries = File.ReadAllLines(request.SegmentListPath).Select(SegmentListEntry.Parse).OfType<SegmentListEntry>().ToList();
        Assert.NotEmpty(entries);
        var first = await new Ffprobe().ProbeAsync(Path.Combine(dir, entries[0].FileName), Patience);
        Assert.True(first.HasVideo && first.HasAudio);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_frozen_source_must_keep_connections_open_without_data_until_thawed()
    {
        await using var source = SyntheticLiveSource.Start(new SyntheticSourceOptions { Width = 160, Height = 90 });
        await source.GoLiveAsync();
        source.Freeze();
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(500) };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => http.GetStringAsync(source.PlaylistUrl));
        source.Thaw();
        using var patient = new HttpClient();
        Assert.Contains("#EXTM3U", await patient.GetStringAsync(source.PlaylistUrl));
    }
}
