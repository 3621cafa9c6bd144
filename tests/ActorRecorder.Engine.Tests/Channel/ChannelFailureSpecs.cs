using System.Diagnostics;
using ActorRecorder.Actors;
using ActorRecorder.Engine.Channel;
using Xunit.Abstractions;

namespace ActorRecorder.Engine.Tests.Channel;

public sealed class ChannelFailureSpecs(ITestOutputHelper output) : ChannelSpec(output)
{
    [Fact(Timeout = 120_000)]
    public async Task A_crashed_ffmpeg_must_be_detected_restarted_and_the_gap_recorded()
    {
        await Source.GoLiveAsync();
        var channel = StartChannel(Settings());
        var started = await Next<SessionStarted>();
        await Next<SegmentRecorded>();
        var pid = await RunningFfmpegPid(channel);

        Process.GetProcessById(pid).Kill();

        var ended = await Next<RecordingAttemptEnded>(e => e.Attempt == 1);
        Assert.Equal("Failed", ended.Outcome);
        var gap = await Next<RecordingGap>();
        Assert.Equal(started.SessionId, gap.SessionId);
        Assert.True(gap.To >= gap.From);
        await Next<RecordingAttemptStarted>(a => a.Attempt == 2);
        await Next<SegmentRecorded>(s => s.Attempt == 2 && s.SessionId == started.SessionId);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_stalled_ffmpeg_must_be_killed_by_the_watchdog_and_restarted()
    {
        await Source.GoLiveAsync();
        var channel = StartChannel(Settings(stall: TimeSpan.FromSeconds(3)));
        var started = await Next<SessionStarted>();
        await Next<SegmentRecorded>();
        var pid = await RunningFfmpegPid(channel);

        Assert.True(Media.Processes.Signals.Send(pid, Media.Processes.Signals.SigStop), "SIGSTOP was delivered");

        var ended = await Next<RecordingAttemptEnded>(e => e.Attempt == 1);
        Assert.Equal("Stalled", ended.Outcome);
        Assert.Contains("no media", ended.Reason);
        await Next<RecordingGap>(g => g.SessionId == started.SessionId);
        await Next<SegmentRecorded>(s => s.Attempt == 2);
    }

    [Fact(Timeout = 150_000)]
    public async Task A_channel_restarted_mid_recording_must_adopt_its_partial_segment_and_continue_the_same_session()
    {
        await Source.GoLiveAsync();
        var settings = Settings(grace: TimeSpan.FromSeconds(20));
        var channel = StartChannel(settings);
        var started = await Next<SessionStarted>();
        await Next<SegmentRecorded>();
        Watch(channel);
        Sys.Stop(channel); // as if the process died: no graceful stop, ffmpeg is killed with its actor
        await ExpectTerminatedAsync(channel, Patience);

        var restarted = StartChannel(settings);
        var dropped = await Next<StreamDropped>(d => d.SessionId == started.SessionId);
        Assert.Contains("restarted", dropped.Reason);
        await Next<StreamResumed>(r => r.SessionId == started.SessionId);
        await Next<SegmentRecorded>(s => s.Attempt == 2 && s.SessionId == started.SessionId);
        var status = await StatusOf(restarted);
        Assert.Equal(started.SessionId, status.SessionId);
        Assert.Equal(ChannelMode.Recording, status.Mode);
    }

    [Fact(Timeout = 120_000)]
    public async Task Below_min_free_disk_no_recording_must_start_and_it_must_resume_when_space_is_back()
    {
        await Source.GoLiveAsync();
        var tooMuch = long.MaxValue / 2;
        var channel = StartChannel(Settings(minFreeDisk: tooMuch));
        var low = await Next<DiskSpaceLow>();
        Assert.Equal(tooMuch, low.Threshold);
        await Events.ExpectNoMsgAsync(TimeSpan.FromSeconds(3)); // live, but nothing starts
        Assert.Equal(ChannelMode.Offline, (await StatusOf(channel)).Mode);

        channel.Tell(new UpdateChannelSettings(Settings(minFreeDisk: 1)), ActorRefs.NoSender);

        await Next<DiskSpaceRecovered>();
        await Next<SessionStarted>();
        await Next<SegmentRecorded>();
    }

    [Fact(Timeout = 120_000)]
    public async Task Running_out_of_disk_while_recording_must_stop_cleanly_with_playable_segments()
    {
        await Source.GoLiveAsync();
        var channel = StartChannel(Settings(grace: TimeSpan.FromSeconds(30)));
        var started = await Next<SessionStarted>();
        await Next<SegmentRecorded>();

        channel.Tell(new UpdateChannelSettings(Settings(grace: TimeSpan.FromSeconds(30), minFreeDisk: long.MaxValue / 2)), ActorRefs.NoSender);

        await Next<DiskSpaceLow>();
        var ended = await Next<RecordingAttemptEnded>(e => e.SessionId == started.SessionId);
        Assert.Equal("Stopped", ended.Outcome);
        var dropped = await Next<StreamDropped>();
        Assert.Contains("disk", dropped.Reason);
        var status = await StatusOf(channel);
        Assert.Equal(ChannelMode.Grace, status.Mode);
        Assert.Null(status.FfmpegPid);
    }
}
