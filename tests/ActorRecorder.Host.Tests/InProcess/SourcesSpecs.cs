using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Media.Synthetic;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.InProcess;

/// <summary>One streamer on several platforms: a channel with several URLs, on real sources and real ffmpeg.</summary>
public sealed class SourcesSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact(Timeout = 150_000)]
    public async Task A_broadcast_that_moves_to_the_channels_other_url_within_the_grace_period_must_stay_one_session()
    {
        await using var other = SyntheticLiveSource.Start(new SyntheticSourceOptions { Width = 320, Height = 180, VideoBitrate = 300_000 });
        await StartNodeAsync(grace: "30s");
        await Configure(Settings with { Sources = [new ChannelSource(Source.PlaylistUrl, "generic"), new ChannelSource(other.PlaylistUrl, "generic")] });

        await Source.GoLiveAsync();
        var started = await Next<SessionStarted>();
        var first = await Next<RecordingAttemptStarted>(a => a.SessionId == started.SessionId);
        Assert.Equal(Source.PlaylistUrl, first.SourceUrl);
        await Next<SegmentRecorded>(s => s.Attempt == first.Attempt && s.Duration > TimeSpan.FromSeconds(1));

        // The first platform's broadcast ends; the streamer goes on on the second one.
        await Source.EndAsync();
        await Next<StreamDropped>(d => d.SessionId == started.SessionId, TimeSpan.FromSeconds(30));
        await other.GoLiveAsync();
        await Next<StreamResumed>(r => r.SessionId == started.SessionId, TimeSpan.FromSeconds(30));
        var second = await Next<RecordingAttemptStarted>(a => a.SessionId == started.SessionId);
        Assert.Equal(other.PlaylistUrl, second.SourceUrl);
        await Next<SegmentRecorded>(s => s.Attempt == second.Attempt && s.Duration > TimeSpan.FromSeconds(1));

        await other.EndAsync();
        var ended = await Next<SessionEnded>(timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(started.SessionId, ended.SessionId);
        var journal = await JournalAsync();
        Assert.Single(journal.OfType<SessionStarted>());
        Assert.Equal([Source.PlaylistUrl, other.PlaylistUrl], journal.OfType<RecordingAttemptStarted>().Select(a => a.SourceUrl));
    }

    [Fact(Timeout = 120_000)]
    public async Task When_both_urls_are_live_the_first_in_the_list_must_be_recorded()
    {
        await using var other = SyntheticLiveSource.Start(new SyntheticSourceOptions { Width = 320, Height = 180, VideoBitrate = 300_000 });
        await other.GoLiveAsync();
        await Source.GoLiveAsync();
        await StartNodeAsync(grace: "2s");
        await Configure(Settings with { Sources = [new ChannelSource(other.PlaylistUrl, "generic"), new ChannelSource(Source.PlaylistUrl, "generic")] });
        var attempt = await Next<RecordingAttemptStarted>();
        Assert.Equal(other.PlaylistUrl, attempt.SourceUrl);
        await Next<SegmentRecorded>(s => s.Duration > TimeSpan.FromSeconds(1));
    }
}
