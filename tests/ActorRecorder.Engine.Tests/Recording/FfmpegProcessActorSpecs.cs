using System.Collections.Concurrent;
using Akka.Actor;
using ActorRecorder.Engine.Recording;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Media.Ffmpeg;
using ActorRecorder.Media.Processes;
using Xunit.Abstractions;

namespace ActorRecorder.Engine.Tests.Recording;

/// <summary>The recorder tells the node's watch (the watchdog) about its real ffmpeg: when it starts, and once when it has exited or is killed.</summary>
public sealed class FfmpegProcessActorSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string _directory = Directory.CreateTempSubdirectory("ar-ffmpeg-actor-").FullName;
    private readonly RecordingWatch _watch = new();

    public FfmpegProcessActorSpecs(ITestOutputHelper output) : base("akka.loglevel = WARNING", "ffmpeg-actor-specs", output)
    {
    }

    [Fact(Timeout = 30_000)]
    public async Task FfmpegProcessActor_must_tell_the_watch_when_ffmpeg_starts_and_when_it_has_exited()
    {
        ChildActorOf(Props(Path.Combine(_directory, "missing.ts")));

        var started = await ExpectMsgAsync<RecordingStarted>(Patience);
        var stopped = await FishForMessageAsync<RecordingStopped>(_ => true, Patience);

        Assert.Equal(RecordingOutcome.Failed, stopped.Outcome);
        Assert.Equal([("started", started.Pid), ("exited", started.Pid)], _watch.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task FfmpegProcessActor_stopped_with_ffmpeg_running_must_tell_the_watch_once_that_it_exited()
    {
        // ffmpeg blocks opening a fifo that nobody writes to: it runs until it is killed.
        var fifo = Path.Combine(_directory, "input.fifo");
        await Tool.RunAsync("mkfifo", [fifo], Patience);
        var recorder = ChildActorOf(Props(fifo));
        var started = await ExpectMsgAsync<RecordingStarted>(Patience);
        Assert.Equal([("started", started.Pid)], _watch.Calls);

        Watch(recorder);
        Sys.Stop(recorder);
        await ExpectTerminatedAsync(recorder, Patience);

        Assert.Equal([("started", started.Pid), ("exited", started.Pid)], _watch.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task FfmpegProcessActor_must_give_an_ffmpeg_still_opening_its_input_longer_than_the_stall_timeout()
    {
        // ffmpeg blocks opening a fifo nobody writes: it never gets to its first media. The clock is virtual: its ticks are real.
        var fifo = Path.Combine(_directory, "input.fifo");
        await Tool.RunAsync("mkfifo", [fifo], Patience);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        ChildActorOf(Props(fifo, TimeSpan.FromSeconds(1), time));
        await ExpectMsgAsync<RecordingStarted>(Patience);

        time.Advance(TimeSpan.FromSeconds(5)); // past the stall timeout: a recording that had media would be killed now
        time.Advance(FfmpegProcessActor.OpenAllowance); // past the opening allowance too

        var stopped = await FishForMessageAsync<RecordingStopped>(_ => true, Patience);
        Assert.Equal(RecordingOutcome.Stalled, stopped.Outcome);
        Assert.Equal($"ffmpeg did not open the input within {(TimeSpan.FromSeconds(1) + FfmpegProcessActor.OpenAllowance).TotalSeconds:0.#} s", stopped.Reason);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Directory.Delete(_directory, recursive: true);
    }

    private Props Props(string input, TimeSpan? stall = null, TimeProvider? time = null)
    {
        var request = new RecordingRequest { InputUrl = input, OutputDirectory = Path.Combine(_directory, "out"), FilePrefix = "a" };
        var settings = new RecordingSettings(_directory, TimeSpan.FromSeconds(1), Container.Ts, TimeSpan.FromSeconds(2), TimeSpan.Zero,
            StallTimeout: stall ?? TimeSpan.FromSeconds(30), MinFreeDisk: 0, "ffmpeg", "ffprobe", TimeSpan.FromSeconds(1));
        return FfmpegProcessActor.Props(request, 1, settings, EngineServices.Create() with { Watch = _watch, Time = time ?? TimeProvider.System });
    }

    private sealed class RecordingWatch : IRecorderWatch
    {
        private readonly ConcurrentQueue<(string, int)> _calls = new();

        public IReadOnlyList<(string, int)> Calls => [.. _calls];

        public void Started(int pid) => _calls.Enqueue(("started", pid));

        public void Exited(int pid) => _calls.Enqueue(("exited", pid));
    }
}
