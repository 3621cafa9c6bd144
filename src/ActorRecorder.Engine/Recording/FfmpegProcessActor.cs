using Akka.Actor;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Media.Ffmpeg;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Processes;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Engine.Recording;

/// <summary>
/// One ffmpeg process for one recording attempt. It reports each finished segment (from ffmpeg's
/// segment list), progress, and at the end adopts the partial segment ffmpeg left, then reports
/// <see cref="RecordingStopped"/> and stops. The stall watchdog kills ffmpeg when its media time has not
/// moved for the stall timeout — the "connection open but nothing arrives" case. If this actor is stopped
/// with ffmpeg still running, ffmpeg is killed: no process outlives its actor. The node's watch (if any) is told when
/// ffmpeg starts and when it has exited, so that it cannot outlive the node either.
/// </summary>
public sealed partial class FfmpegProcessActor : ReceiveActor, IWithTimers
{
    private readonly RecordingRequest _request;
    private readonly int _attempt;
    private readonly string _ffmpegPath;
    private readonly TimeSpan _stallTimeout;
    private readonly SegmentAdopter _adopter;
    private readonly TimeProvider _time;
    private readonly IRecorderWatch? _watch;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly ILogger _log;
    private ChildProcess? _process;
    private long _listOffset;
    private TimeSpan _lastOutTime = TimeSpan.MinValue;
    private DateTimeOffset _lastMovement;
    private double? _lastSpeed;
    private RecordingOutcome? _forcedOutcome;
    private string? _forcedReason;
    private bool _adoptLeftovers = true;
    private bool _startReported;

    public FfmpegProcessActor(RecordingRequest request, int attempt, RecordingSettings settings, EngineServices services)
    {
        _request = request;
        _attempt = attempt;
        _ffmpegPath = settings.FfmpegPath;
        _stallTimeout = settings.StallTimeout;
        _adopter = services.Adopter;
        _time = services.Time;
        _watch = services.Watch;
        _log = services.LoggerFactory.CreateLogger<FfmpegProcessActor>();
        Receive<ProgressLine>(OnProgress);
        Receive<WatchTick>(_ => Watch());
        Receive<StopRecording>(OnStop);
        ReceiveAsync<ProcessExited>(OnExitedAsync);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(RecordingRequest request, int attempt, RecordingSettings settings, EngineServices services) =>
        Akka.Actor.Props.Create(() => new FfmpegProcessActor(request, attempt, settings, services));

    protected override void PreStart()
    {
        Directory.CreateDirectory(_request.OutputDirectory);
        var self = Self;
        var parser = new ProgressParser();
        _process = ChildProcess.Start(_ffmpegPath, FfmpegArguments.Record(_request),
            line =>
            {
                if (parser.Feed(line) is { } progress)
                {
                    self.Tell(new ProgressLine(progress));
                }
            });
        _watch?.Started(_process.Pid);
        _startReported = true;
        _lastMovement = Now;
        OrphanReaper.WritePidFile(_request.OutputDirectory, _request.FilePrefix, _process.Pid);
        _process.Completion.PipeTo(self, success: result => new ProcessExited(result));
        Timers.StartPeriodicTimer("watch", WatchTick.Instance, TimeSpan.FromMilliseconds(Math.Clamp(_stallTimeout.TotalMilliseconds / 4, 200, 1000)));
        LogStarted(_log, _attempt, _process.Pid, _process.CommandLine);
        Context.Parent.Tell(new RecordingStarted(_attempt, _process.Pid));
    }

    protected override void PostStop()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
        }
        ReportExitToWatch();
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    private void OnProgress(ProgressLine line)
    {
        var outTime = line.Progress.OutTime ?? TimeSpan.Zero;
        if (outTime > _lastOutTime)
        {
            _lastOutTime = outTime;
            _lastMovement = Now;
        }
        _lastSpeed = line.Progress.Speed;
    }

    /// <summary>Once per tick: new segments, progress for the channel (not per progress line: that is twice a second), the stall check.</summary>
    private void Watch()
    {
        ReportFinishedSegments();
        if (_lastOutTime >= TimeSpan.Zero)
        {
            Context.Parent.Tell(new RecordingProgress(_attempt, _lastOutTime, CurrentBytes(), _lastSpeed));
        }
        if (_process is { HasExited: false } process && _forcedOutcome is null && Now - _lastMovement > _stallTimeout)
        {
            _forcedOutcome = RecordingOutcome.Stalled;
            _forcedReason = $"no media for {_stallTimeout.TotalSeconds:0.#} s (last media time {Math.Max(0, _lastOutTime.TotalSeconds):0.#} s)";
            LogStalled(_log, _attempt, process.Pid, _forcedReason);
            process.Kill();
        }
    }

    private void OnStop(StopRecording stop)
    {
        if (_process is not { HasExited: false } process || _forcedOutcome is not null)
        {
            return;
        }
        _forcedOutcome = RecordingOutcome.Stopped;
        _forcedReason = stop.Reason;
        _adoptLeftovers = stop.AdoptLeftovers;
        // 'q' lets ffmpeg close its segment (it takes well under a second when the input flows); 3 s + 2 s keep a node stop within 10 s.
        _ = process.StopAsync(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), _time);
    }

    private async Task OnExitedAsync(ProcessExited exited)
    {
        Timers.CancelAll();
        ReportExitToWatch();
        OrphanReaper.DeletePidFile(_request.OutputDirectory, _request.FilePrefix);
        ReportFinishedSegments();
        if (_adoptLeftovers)
        {
            await AdoptLeftoversAsync(); // no ConfigureAwait(false): the continuation runs in the actor, where Context is valid
        }
        var result = exited.Result;
        var (outcome, reason) = _forcedOutcome is { } forced
            ? (forced, _forcedReason ?? forced.ToString())
            : result.ExitCode == 0
                ? (RecordingOutcome.Ended, "ffmpeg finished: the stream ended")
                : (RecordingOutcome.Failed, $"ffmpeg exited with code {result.ExitCode}: {result.StderrTail.LastOrDefault() ?? "no error output"}");
        Context.Parent.Tell(new RecordingStopped(_attempt, outcome, reason, result.ExitCode));
        Context.Stop(Self);
    }

    /// <summary>Tells the watch, once, that ffmpeg has exited (or is being killed: the actor stops).</summary>
    private void ReportExitToWatch()
    {
        if (_startReported && _process is { } process)
        {
            _startReported = false;
            _watch?.Exited(process.Pid);
        }
    }

    /// <summary>Reads the lines ffmpeg appended to its segment list since the last call.</summary>
    private void ReportFinishedSegments()
    {
        if (!File.Exists(_request.SegmentListPath))
        {
            return;
        }
        string appended;
        using (var stream = new FileStream(_request.SegmentListPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            if (stream.Length <= _listOffset)
            {
                return;
            }
            stream.Seek(_listOffset, SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            appended = reader.ReadToEnd();
        }
        var complete = appended.LastIndexOf('\n');
        if (complete < 0)
        {
            return; // a line is being written: take it next time
        }
        _listOffset += System.Text.Encoding.UTF8.GetByteCount(appended.AsSpan(0, complete + 1));
        foreach (var line in appended[..complete].Split('\n'))
        {
            if (SegmentListEntry.Parse(line) is { } entry)
            {
                var path = Path.Combine(_request.OutputDirectory, Path.GetFileName(entry.FileName));
                if (_reported.Add(path))
                {
                    var bytes = File.Exists(path) ? new FileInfo(path).Length : 0;
                    Context.Parent.Tell(new SegmentFinished(_attempt, path, entry.Duration, bytes, Adopted: false));
                }
            }
        }
    }

    /// <summary>The segment ffmpeg was writing when it ended is not in its list: probe it and keep it if playable.</summary>
    private async Task AdoptLeftoversAsync()
    {
        var pattern = $"{_request.FilePrefix}-*.{_request.Container.Extension()}";
        foreach (var path in Directory.EnumerateFiles(_request.OutputDirectory, pattern).Order(SegmentFileName.Comparer))
        {
            if (!_reported.Add(path))
            {
                continue;
            }
            var result = await _adopter.AdoptAsync(path);
            Context.Parent.Tell(result switch
            {
                AdoptionResult.Kept kept => new SegmentFinished(_attempt, path, kept.Duration, kept.Bytes, Adopted: true),
                AdoptionResult.Dropped dropped => (object)new SegmentSetAside(_attempt, path, dropped.Reason),
                _ => throw new InvalidOperationException("unknown adoption result"),
            });
        }
    }

    private long CurrentBytes()
    {
        var pattern = $"{_request.FilePrefix}-*.{_request.Container.Extension()}";
        return Directory.Exists(_request.OutputDirectory)
            ? Directory.EnumerateFiles(_request.OutputDirectory, pattern).Sum(p => new FileInfo(p).Length)
            : 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "attempt {Attempt}: ffmpeg started (pid {Pid}): {CommandLine}")]
    private static partial void LogStarted(ILogger logger, int attempt, int pid, string commandLine);

    [LoggerMessage(Level = LogLevel.Warning, Message = "attempt {Attempt}: ffmpeg (pid {Pid}) stalled, killing it: {Reason}")]
    private static partial void LogStalled(ILogger logger, int attempt, int pid, string reason);

    private sealed record ProgressLine(FfmpegProgress Progress);

    private sealed record ProcessExited(ProcessResult Result);

    private sealed class WatchTick
    {
        public static readonly WatchTick Instance = new();
    }
}
