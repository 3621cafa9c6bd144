using Akka.Actor;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Media.FileSystem;
using ActorRecorder.Media.Ffmpeg;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Processes;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Engine.Recording;

/// <summary>
/// One ffmpeg process for one recording attempt. It reports each finished segment (from ffmpeg's
/// segment list), progress, and at the end adopts the partial segment ffmpeg left, then reports
/// <see cref="RecordingStopped"/> and stops. The stall watchdog kills ffmpeg when its media time has not
/// moved for the stall timeout — the "connection open but nothing arrives" case — and one still opening its input after
/// the stall timeout and <see cref="OpenAllowance"/>. If this actor is stopped
/// with ffmpeg still running, ffmpeg is killed: no process outlives its actor. The node's watch (if any) is told when
/// ffmpeg starts and when it has exited, so that it cannot outlive the node either.
/// </summary>
public sealed partial class FfmpegProcessActor : ReceiveActor, IWithTimers
{
    /// <summary>
    /// How much longer than the stall timeout ffmpeg may take to open its input before its first media: a connection, a
    /// playlist, and a probe bounded by <see cref="FfmpegArguments"/> (a read that hangs is ended by ffmpeg's own read timeout).
    /// </summary>
    public static readonly TimeSpan OpenAllowance = TimeSpan.FromSeconds(30);

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
    private Task _segmenting = Task.CompletedTask;
    private long _listOffset;
    private TimeSpan _lastOutTime = TimeSpan.MinValue;
    private DateTimeOffset _lastMovement;
    private double? _lastSpeed;
    private RecordingOutcome? _forcedOutcome;
    private string? _forcedReason;
    private bool _adoptLeftovers = true;
    private bool _startReported;
    private bool _listing;
    private readonly Settings.SecretStore _secrets;

    public FfmpegProcessActor(RecordingRequest request, int attempt, RecordingSettings settings, EngineServices services)
    {
        _request = request;
        _attempt = attempt;
        _ffmpegPath = settings.FfmpegPath;
        _stallTimeout = settings.StallTimeout;
        _adopter = services.Adopter;
        _time = services.Time;
        _watch = services.Watch;
        _secrets = services.Secrets;
        _log = services.LoggerFactory.CreateLogger<FfmpegProcessActor>();
        Receive<FolderReady>(_ => StartFfmpeg());
        Receive<FolderFailed>(failed => Finish(RecordingOutcome.Failed, $"the recordings folder {_request.OutputDirectory} cannot be made: {failed.Reason}", null));
        Receive<ProgressLine>(OnProgress);
        Receive<WatchTick>(_ => Watch());
        Receive<Listed>(OnListed);
        Receive<StopRecording>(OnStop);
        ReceiveAsync<ProcessExited>(OnExitedAsync);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(RecordingRequest request, int attempt, RecordingSettings settings, EngineServices services) =>
        Akka.Actor.Props.Create(() => new FfmpegProcessActor(request, attempt, settings, services));

    /// <summary>
    /// The folder is made on a blocking-I/O thread (it may be on a mount that hangs), then ffmpeg starts. Every file-system
    /// call of this actor runs there: the actor's own thread, and the thread pool under it, never wait on a disk.
    /// </summary>
    protected override void PreStart()
    {
        var folder = _request.OutputDirectory;
        BlockingIo.Run(() => Directory.CreateDirectory(folder)).PipeTo(Self,
            success: () => FolderReady.Instance, failure: ex => new FolderFailed(ex.Message));
    }

    private void StartFfmpeg()
    {
        if (_forcedOutcome is not null)
        {
            Finish(_forcedOutcome.Value, _forcedReason ?? "stopped before ffmpeg started", null); // asked to stop while the folder was made
            return;
        }
        var self = Self;
        var parser = new ProgressParser();
        if (_request.SegmentSize > 0)
        {
            _segmenting = StartSegmenter(_request);
        }
        _process = ChildProcess.Start(_ffmpegPath, FfmpegArguments.Record(_request),
            line =>
            {
                if (parser.Feed(line) is { } progress)
                {
                    self.Tell(new ProgressLine(progress));
                }
            }, environment: _secrets.Resolve(_request.Proxy)?.Environment);
        _watch?.Started(_process.Pid);
        _startReported = true;
        _lastMovement = Now;
        var (folder, prefix, pid) = (_request.OutputDirectory, _request.FilePrefix, _process.Pid);
        _ = BlockingIo.Run(() => OrphanReaper.WritePidFile(folder, prefix, pid)); // best effort: it only helps reap an orphan
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

    /// <summary>
    /// Once per tick: the stall check, and the segment list and the files' sizes read on a blocking-I/O thread (one read at a
    /// time: a tick while one is out only checks for a stall); their answer reports new segments and progress to the channel.
    /// </summary>
    private void Watch()
    {
        // Until its first progress report ffmpeg is still opening its input (connecting, reading the playlist, probing the
        // streams within its bounded probe): that gets its own, longer allowance. After it, media time must keep moving.
        var opening = _lastOutTime == TimeSpan.MinValue;
        var allowed = opening ? _stallTimeout + OpenAllowance : _stallTimeout;
        if (_process is { HasExited: false } process && _forcedOutcome is null && Now - _lastMovement > allowed)
        {
            _forcedOutcome = RecordingOutcome.Stalled;
            _forcedReason = opening
                ? $"ffmpeg did not open the input within {allowed.TotalSeconds:0.#} s"
                : $"no media for {_stallTimeout.TotalSeconds:0.#} s (last media time {Math.Max(0, _lastOutTime.TotalSeconds):0.#} s)";
            LogStalled(_log, _attempt, process.Pid, _forcedReason);
            process.Kill();
        }
        if (_listing)
        {
            return;
        }
        _listing = true;
        var (request, offset) = (_request, _listOffset);
        BlockingIo.Run(() => List(request, offset)).PipeTo(Self, failure: ex => new Listed(offset, [], 0, ex.Message));
    }

    private void OnListed(Listed listed)
    {
        _listing = false;
        Report(listed);
        if (_lastOutTime >= TimeSpan.Zero)
        {
            Context.Parent.Tell(new RecordingProgress(_attempt, _lastOutTime, listed.Bytes, _lastSpeed));
        }
    }

    /// <summary>Tells the channel of each segment in the list it has not heard of.</summary>
    private void Report(Listed listed)
    {
        if (listed.Error is { } error)
        {
            LogListFailed(_log, _attempt, error);
            return;
        }
        _listOffset = Math.Max(_listOffset, listed.Offset);
        foreach (var segment in listed.Segments)
        {
            if (_reported.Add(segment.Path))
            {
                Context.Parent.Tell(new SegmentFinished(_attempt, segment.Path, segment.Duration, segment.Bytes, Adopted: false));
            }
        }
    }

    private void OnStop(StopRecording stop)
    {
        if (_process is null && _forcedOutcome is null)
        {
            (_forcedOutcome, _forcedReason) = (RecordingOutcome.Stopped, stop.Reason); // ffmpeg is not started once the folder is made
            return;
        }
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

    /// <summary>
    /// A size-split attempt: the FIFO ffmpeg writes into, and the cutter reading it in the background (its open waits for
    /// ffmpeg's). Its files and list lines are the ones ffmpeg's segment muxer would write, so the rest is unchanged.
    /// </summary>
    private static Task StartSegmenter(RecordingRequest request)
    {
        Media.FileSystem.Fifo.Create(request.PipePath);
        return Task.Run(async () =>
        {
            await using var input = new FileStream(request.PipePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
            await new TsSegmenter(request, request.SegmentSize).RunAsync(input, CancellationToken.None);
        });
    }

    /// <summary>The cutter has read ffmpeg's stream to its end and listed its last file (it is released if ffmpeg never wrote).</summary>
    private static async Task FinishSegmenterAsync(RecordingRequest request, Task segmenting)
    {
        if (request.SegmentSize == 0)
        {
            return;
        }
        if (!segmenting.IsCompleted)
        {
            Media.FileSystem.Fifo.Release(request.PipePath);
        }
        try
        {
            await segmenting;
        }
        finally
        {
            File.Delete(request.PipePath);
        }
    }

    private async Task OnExitedAsync(ProcessExited exited)
    {
        Timers.CancelAll();
        ReportExitToWatch();
        var (request, offset) = (_request, _listOffset);
        Listed listed;
        try
        {
            await FinishSegmenterAsync(request, _segmenting);
            // no ConfigureAwait(false) here or below: the continuation runs in the actor, where Context is valid
            listed = await BlockingIo.Run(() =>
            {
                OrphanReaper.DeletePidFile(request.OutputDirectory, request.FilePrefix);
                return List(request, offset);
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            listed = new Listed(offset, [], 0, ex.Message);
        }
        Report(listed);
        if (_adoptLeftovers)
        {
            await AdoptLeftoversAsync();
        }
        var result = exited.Result;
        var (outcome, reason) = _forcedOutcome is { } forced
            ? (forced, _forcedReason ?? forced.ToString())
            : result.ExitCode == 0
                ? (RecordingOutcome.Ended, "ffmpeg finished: the stream ended")
                : (RecordingOutcome.Failed, $"ffmpeg exited with code {result.ExitCode}: {result.StderrTail.LastOrDefault() ?? "no error output"}");
        var narrow = outcome == RecordingOutcome.Failed && !_request.WideProbe && _lastOutTime == TimeSpan.MinValue
            && FfmpegArguments.ProbeTooNarrow(result.StderrTail);
        Finish(outcome, reason, result.ExitCode, narrow);
    }

    private void Finish(RecordingOutcome outcome, string reason, int? exitCode, bool probeTooNarrow = false)
    {
        Context.Parent.Tell(new RecordingStopped(_attempt, outcome, reason, exitCode, probeTooNarrow));
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

    /// <summary>
    /// Reads what ffmpeg appended to its segment list after <paramref name="offset"/> (whole lines only) and the size of
    /// each listed file and of all the attempt's files. Blocking: run on a blocking-I/O thread.
    /// </summary>
    private static Listed List(RecordingRequest request, long offset)
    {
        var segments = new List<ListedSegment>();
        if (File.Exists(request.SegmentListPath))
        {
            string appended;
            using (var stream = new FileStream(request.SegmentListPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
                using var reader = new StreamReader(stream);
                appended = reader.ReadToEnd();
            }
            var complete = appended.LastIndexOf('\n'); // a line being written is taken next time
            if (complete >= 0)
            {
                offset += System.Text.Encoding.UTF8.GetByteCount(appended.AsSpan(0, complete + 1));
                foreach (var line in appended[..complete].Split('\n'))
                {
                    if (SegmentListEntry.Parse(line) is { } entry)
                    {
                        var path = Path.Combine(request.OutputDirectory, Path.GetFileName(entry.FileName));
                        segments.Add(new ListedSegment(path, entry.Duration, File.Exists(path) ? new FileInfo(path).Length : 0));
                    }
                }
            }
        }
        var pattern = $"{request.FilePrefix}-*.{request.Container.Extension()}";
        var bytes = Directory.Exists(request.OutputDirectory)
            ? Directory.EnumerateFiles(request.OutputDirectory, pattern).Sum(p => new FileInfo(p).Length)
            : 0;
        return new Listed(offset, segments, bytes, null);
    }

    /// <summary>The segment ffmpeg was writing when it ended is not in its list: probe it and keep it if playable.</summary>
    private async Task AdoptLeftoversAsync()
    {
        var (folder, pattern) = (_request.OutputDirectory, $"{_request.FilePrefix}-*.{_request.Container.Extension()}");
        List<string> files;
        try
        {
            files = await BlockingIo.Run(() => Directory.Exists(folder) ? Directory.EnumerateFiles(folder, pattern).Order(SegmentFileName.Comparer).ToList() : []);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogListFailed(_log, _attempt, ex.Message);
            return;
        }
        foreach (var path in files)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "attempt {Attempt}: ffmpeg started (pid {Pid}): {CommandLine}")]
    private static partial void LogStarted(ILogger logger, int attempt, int pid, string commandLine);

    [LoggerMessage(Level = LogLevel.Warning, Message = "attempt {Attempt}: ffmpeg (pid {Pid}) stalled, killing it: {Reason}")]
    private static partial void LogStalled(ILogger logger, int attempt, int pid, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "attempt {Attempt}: reading the segment list failed (tried again at the next tick): {Reason}")]
    private static partial void LogListFailed(ILogger logger, int attempt, string reason);

    private sealed record ProgressLine(FfmpegProgress Progress);

    private sealed class FolderReady
    {
        public static readonly FolderReady Instance = new();
    }

    private sealed record FolderFailed(string Reason);

    private sealed record ListedSegment(string Path, TimeSpan Duration, long Bytes);

    /// <summary>The segment list read up to <paramref name="Offset"/>: its new segments and the attempt's bytes on disk (or why it could not be read).</summary>
    private sealed record Listed(long Offset, IReadOnlyList<ListedSegment> Segments, long Bytes, string? Error);

    private sealed record ProcessExited(ProcessResult Result);

    private sealed class WatchTick
    {
        public static readonly WatchTick Instance = new();
    }
}
