using ActorRecorder.Engine.Channel;
using ActorRecorder.Media.Probing;
using Xunit.Abstractions;

namespace ActorRecorder.Engine.Tests.Channel;

public sealed class ChannelLifecycleSpecs(ITestOutputHelper output) : ChannelSpec(output)
{
    [Fact(Timeout = 150_000)]
    public async Task A_drop_within_the_grace_period_must_continue_the_same_session_until_the_broadcast_ends()
    {
        await Source.GoLiveAsync();
        StartChannel(Settings(grace: TimeSpan.FromSeconds(12)));
        var started = await Next<SessionStarted>();
        await Next<SegmentRecorded>(s => s.Attempt == 1);

        await Source.DropAsync();
        var dropped = await Next<StreamDropped>();
        Assert.Equal(started.SessionId, dropped.SessionId);

        await Source.GoLiveAsync();
        var resumed = await Next<StreamResumed>();
        Assert.Equal(started.SessionId, resumed.SessionId);
        await Next<SegmentRecorded>(s => s.Attempt >= 2);

        await Source.EndAsync();
        await Next<StreamDropped>();
        var ended = await Next<SessionEnded>(timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(started.SessionId, ended.SessionId);
        var handedOver = await HandedOver();
        Assert.Equal(started.SessionId, handedOver.SessionId);
        Assert.Contains(handedOver.Segments, s => s.Attempt == 1);
        Assert.Contains(handedOver.Segments, s => s.Attempt >= 2);
        Assert.Equal(handedOver.Segments.Length, handedOver.Segments.Select(s => s.Path).Distinct().Count());
        foreach (var segment in handedOver.Segments)
        {
            var probe = await new Ffprobe().ProbeAsync(segment.Path, TimeSpan.FromSeconds(20));
            Assert.True(probe.HasVideo, $"{segment.Path} is playable");
        }
    }

    [Fact(Timeout = 150_000)]
    public async Task A_drop_longer_than_the_grace_period_must_give_two_sessions()
    {
        await Source.GoLiveAsync();
        StartChannel(Settings(grace: TimeSpan.FromSeconds(3)));
        var first = await Next<SessionStarted>();
        await Next<SegmentRecorded>();
        await Source.DropAsync();
        await Next<SessionEnded>(e => e.SessionId == first.SessionId);
        Assert.Equal(first.SessionId, (await HandedOver()).SessionId);

        await Source.GoLiveAsync();
        var second = await Next<SessionStarted>();
        Assert.NotEqual(first.SessionId, second.SessionId);
        await Next<SegmentRecorded>(s => s.SessionId == second.SessionId);
    }
}
