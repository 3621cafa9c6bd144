using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Media.Processes;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.InProcess;

public sealed class ChannelFailureSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact(Timeout = 150_000)]
    public async Task A_channel_whose_journal_holds_an_event_it_cannot_read_must_stop_saying_why_while_the_others_go_on()
    {
        var channels = $"channels = [ {{ id = demo, url = \"{Source.PlaylistUrl}\" }}, {{ id = other, url = \"{Source.PlaylistUrl}\" }} ]";
        await StartNodeAsync(extra: channels);
        await Source.GoLiveAsync();
        await Next<SegmentRecorded>();
        await StopNodeAsync();
        // A newer version wrote the last event of channel "demo" (or the row was damaged): this one cannot read it.
        await using (var journal = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Root, "data", "journal.db")};Pooling=false"))
        {
            await journal.OpenAsync();
            await using var change = journal.CreateCommand();
            change.CommandText = """
                UPDATE journal SET manifest = 'channel.from-a-newer-version.v1'
                WHERE persistence_id = 'channel-demo' AND sequence_number = (SELECT max(sequence_number) FROM journal WHERE persistence_id = 'channel-demo')
                """;
            Assert.Equal(1, await change.ExecuteNonQueryAsync());
        }

        await StartNodeAsync(extra: channels);

        using var api = Management.ManagementClient.For(Node);
        await NodeWorkspace.Eventually(async () => (await api.GetAsync<Host.Management.ChannelView>("/api/channels/demo")).Lifecycle == "unreadable",
            () => "channel demo to say its journal cannot be read", Patience);
        var demo = await api.GetAsync<Host.Management.ChannelView>("/api/channels/demo");
        Assert.Contains("channel.from-a-newer-version.v1", demo.Problem);
        Assert.Null(demo.Session?.FfmpegPid); // it records nothing (the session it folded up to the event stays as it was)
        await NodeWorkspace.Eventually(async () => (await api.GetAsync<Host.Management.ChannelView>("/api/channels/other")).State == "recording",
            () => "channel other to record", Patience);
        Assert.Contains("actorrecorder_channels_unreadable 1", await api.Http.GetStringAsync("/metrics"));
        var (ready, report) = await api.SendAsync(HttpMethod.Get, "/health/ready");
        Assert.Equal(503, ready);
        var check = report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "channels");
        Assert.Contains("demo", check.GetProperty("description").GetString());
        var cli = await Cli.CliRunner.RunAsync(["--node", api.Address.Authority, "--token", api.Token, "channel", "show", "demo"]);
        Assert.Contains("unreadable journal", cli.Out);
        Assert.Contains("channel.from-a-newer-version.v1", cli.Out);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_crashed_ffmpeg_must_be_detected_restarted_and_the_gap_recorded()
    {
        await Source.GoLiveAsync();
        await StartNodeAsync();
        var started = await Next<SessionStarted>();
        await Next<SegmentRecorded>();
        var pid = await RunningFfmpegPidAsync();

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
        await StartNodeAsync(stall: "3s");
        var started = await Next<SessionStarted>();
        await Next<SegmentRecorded>();
        var pid = await RunningFfmpegPidAsync();

        Assert.True(Signals.Send(pid, Signals.SigStop), "SIGSTOP was delivered");

        var ended = await Next<RecordingAttemptEnded>(e => e.Attempt == 1);
        Assert.Equal("Stalled", ended.Outcome);
        Assert.Contains("no media", ended.Reason);
        await Next<RecordingGap>(g => g.SessionId == started.SessionId);
        await Next<SegmentRecorded>(s => s.Attempt == 2);
    }

    [Fact(Timeout = 150_000)]
    public async Task A_channel_that_dies_mid_recording_must_come_back_adopt_its_partial_segment_and_continue_the_same_session()
    {
        await Source.GoLiveAsync();
        await StartNodeAsync(grace: "20s");
        var started = await Next<SessionStarted>();
        await Next<SegmentRecorded>();

        // The entity stops without passivating (as after a failed journal write): its shard starts it again after a back-off.
        Region.Tell(new ShardingEnvelope("demo", PoisonPill.Instance));

        // The broadcast is live: the new incarnation records again as soon as its monitor says so and the old ffmpeg is gone
        // (or, if the probe of the left segments finished first, after a drop and a resume), in the same session.
        await Next<SegmentRecorded>(s => s.Attempt == 2 && s.SessionId == started.SessionId);
        Assert.Single((await JournalAsync()).OfType<SessionStarted>());
        var status = await StatusAsync();
        Assert.Equal(started.SessionId, status.SessionId);
        Assert.Equal(ChannelMode.Recording, status.Mode);
        var interrupted = (await JournalAsync()).OfType<RecordingAttemptEnded>().Single(e => e.Attempt == 1);
        Assert.Equal("Interrupted", interrupted.Outcome);
    }

    [Fact(Timeout = 120_000)]
    public async Task Below_min_free_disk_no_recording_must_start_and_it_must_resume_when_space_is_back()
    {
        await Source.GoLiveAsync();
        await StartNodeAsync(minFreeDisk: "1000000TiB");
        var low = await Next<DiskSpaceLow>();
        Assert.True(low.FreeBytes < low.Threshold);
        Assert.Equal(ChannelMode.Offline, (await StatusAsync()).Mode);

        await Configure(Settings with { Recording = Settings.Recording with { MinFreeDisk = 1 } });

        await Next<DiskSpaceRecovered>();
        await Next<SessionStarted>();
        await Next<SegmentRecorded>();
        Assert.DoesNotContain(await JournalAsync(), e => e is SessionStarted s && s.At < low.At);
    }

    [Fact(Timeout = 120_000)]
    public async Task Running_out_of_disk_while_recording_must_stop_cleanly_with_playable_segments()
    {
        await Source.GoLiveAsync();
        await StartNodeAsync(grace: "30s");
        var started = await Next<SessionStarted>();
        await Next<SegmentRecorded>();

        await Configure(Settings with { Recording = Settings.Recording with { MinFreeDisk = long.MaxValue / 2 } });

        await Next<DiskSpaceLow>();
        var ended = await Next<RecordingAttemptEnded>(e => e.SessionId == started.SessionId);
        Assert.Equal("Stopped", ended.Outcome);
        var dropped = await Next<StreamDropped>();
        Assert.Contains("disk", dropped.Reason);
        var status = await StatusAsync();
        Assert.Equal(ChannelMode.Grace, status.Mode);
        Assert.Null(status.FfmpegPid);
        var segments = (await JournalAsync()).OfType<SegmentRecorded>().ToList();
        foreach (var segment in segments)
        {
            Assert.True((await new Media.Probing.Ffprobe().ProbeAsync(segment.Path, TimeSpan.FromSeconds(20))).HasVideo, $"{segment.Path} is playable");
        }
    }
}
