using ActorRecorder.Engine.Channel;
using ActorRecorder.Media.Probing;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.InProcess;

public sealed class ChannelLifecycleSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact(Timeout = 150_000)]
    public async Task A_drop_within_the_grace_period_must_continue_the_same_session_until_the_broadcast_ends()
    {
        await Source.GoLiveAsync();
        await StartNodeAsync(grace: "12s");
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
        var session = (await HandedOver()).Session;
        Assert.Equal(started.SessionId, session.Id);
        Assert.Contains(session.Segments, s => s.Attempt == 1);
        Assert.Contains(session.Segments, s => s.Attempt >= 2);
        Assert.Equal(session.Segments.Count, session.Segments.Select(s => s.Path).Distinct().Count());
        foreach (var segment in session.Segments)
        {
            var probe = await new Ffprobe().ProbeAsync(segment.Path, TimeSpan.FromSeconds(20));
            Assert.True(probe.HasVideo, $"{segment.Path} is playable");
        }
    }

    [Fact(Timeout = 150_000)]
    public async Task A_drop_longer_than_the_grace_period_must_give_two_sessions()
    {
        await Source.GoLiveAsync();
        await StartNodeAsync(grace: "3s");
        var first = await Next<SessionStarted>();
        await Next<SegmentRecorded>();
        await Source.DropAsync();
        await Next<SessionEnded>(e => e.SessionId == first.SessionId);
        Assert.Equal(first.SessionId, (await HandedOver()).Session.Id);

        await Source.GoLiveAsync();
        var second = await Next<SessionStarted>();
        Assert.NotEqual(first.SessionId, second.SessionId);
        await Next<SegmentRecorded>(s => s.SessionId == second.SessionId);
    }
}
