using ActorRecorder.Engine.Channel;
using ActorRecorder.Host.Tests.Support;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.InProcess;

/// <summary>
/// <c>title-exclude</c> on a real node and a real live stream: a broadcast whose title is excluded is not recorded (one
/// BroadcastSkipped with the reason, shown in the status); when the streamer changes the title to one the filters let
/// in, the same broadcast is recorded from then on.
/// </summary>
public sealed class TitleFilterSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact(Timeout = 120_000)]
    public async Task An_excluded_title_must_not_be_recorded_and_an_included_one_must()
    {
        TitledResolver? platform = null;
        await StartNodeAsync(extra: "recording.title-exclude = \"rerun|wiederholung\"",
            customize: TitledResolver.Installed("RERUN: yesterday's stream", r => platform = r));
        await Source.GoLiveAsync();

        var skipped = await Next<BroadcastSkipped>();
        Assert.Equal("RERUN: yesterday's stream", skipped.Title);
        Assert.Equal("its title 'RERUN: yesterday's stream' matches title-exclude /rerun|wiederholung/", skipped.Reason);
        var status = await StatusAsync();
        Assert.Equal(skipped.Reason, status.Skipped);
        Assert.Null(status.SessionId);
        Assert.Null(status.FfmpegPid);

        platform!.Title = "Live: a new run";
        var started = await Next<SessionStarted>();
        Assert.Equal("Live: a new run", started.Title);
        await Next<SegmentRecorded>(s => s.SessionId == started.SessionId && s.Duration > TimeSpan.FromSeconds(1));
        Assert.Null((await StatusAsync()).Skipped);
        var journal = await JournalAsync();
        Assert.Single(journal.OfType<BroadcastSkipped>()); // once per broadcast, however often the monitor saw it
        Assert.Single(journal.OfType<SessionStarted>());
    }
}
