using System.Collections.Immutable;
using System.Globalization;
using Akka.Actor;
using Akka.Cluster.Sharding;
using ActorRecorder.Engine.Recording;
using ActorRecorder.Media.FileSystem;
using ActorRecorder.Media.Ffmpeg;
using ActorRecorder.Media.Probing;
using ActorRecorder.Media.Processes;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Engine.Channel;

/// <summary>Running the decider's effects: children, timers, adoption, clean-up.</summary>
public sealed partial class ChannelActor
{
    private readonly Dictionary<int, IActorRef> _recorders = [];
    private bool _measuringDisk;
    private readonly CancellationTokenSource _stopped = new();
    private IActorRef? _monitor;
    private StartMonitor? _monitorSpec;
    private int _monitors;
    private (int Worker, IActorRef Ref)? _splitter;
    private (int Worker, IActorRef Ref)? _uploader;

    private void Run(ChannelEffect effect)
    {
        switch (effect)
        {
            case StartMonitor monitor:
                _monitorSpec = monitor;
                RestartMonitorNow();
                break;
            case StopMonitor:
                _monitorSpec = null;
                RestartMonitorNow(); // stops it, and starts none
                break;
            case CheckLiveNow:
                _monitor?.Tell(Monitor.CheckNow.Instance);
                break;
            case MonitorRecording recording:
                _monitor?.Tell(new Monitor.RecordingActive(recording.Active));
                break;
            case StartRecorder start:
                var name = string.Create(CultureInfo.InvariantCulture, $"ffmpeg-{_state.Persisted.SessionsStarted}-{start.Attempt}");
                _recorders[start.Attempt] = Context.Watch(Context.ActorOf(_services.Children.Recorder(start, _state.Settings!, _services), name));
                break;
            case StopRecorder stop when _recorders.TryGetValue(stop.Attempt, out var recorder):
                recorder.Tell(new StopRecording(stop.Reason, AdoptLeftovers: !stop.Shutdown));
                break;
            case StartTimer timer:
                Timers.StartSingleTimer(timer.Key, timer.Message, timer.Delay);
                break;
            case CancelTimer timer:
                Timers.Cancel(timer.Key);
                break;
            case WatchDisk disk:
                Timers.StartPeriodicTimer("disk", DiskTick.Instance, disk.Interval);
                Self.Tell(DiskTick.Instance); // measured at once, as a message of its own: an effect never decides
                break;
            case AdoptSegments adopt:
                AdoptAsync(adopt, _services.Adopter, Self, _stopped.Token).PipeTo(Self, success: r => r,
                    failure: ex => new AdoptionFinished(adopt.Token, [], [], Failure: ex.Message));
                break;
            case ToSplitter message:
                Worker(ref _splitter, message.Worker, "splitter", _services.Children.Splitter).Tell(message.Message);
                break;
            case ToUploader message:
                Worker(ref _uploader, message.Worker, "uploader", _services.Children.Uploader).Tell(message.Message);
                break;
            case RetireWorkersBefore retire:
                StopWorkerBefore(ref _splitter, retire.Worker);
                StopWorkerBefore(ref _uploader, retire.Worker);
                break;
            case RunHook hook:
                Hooks.HookRunner.RunAsync(hook, _log, Id, _stopped.Token).PipeTo(Self);
                break;
            case DeleteFiles delete:
                DeleteAsync(delete).PipeTo(Self);
                break;
            case PublishHandedOver handedOver:
                Context.System.EventStream.Publish(new SessionHandedOver(Id, handedOver.Session));
                break;
            case Log log:
                LogDecision(_log, log.Level, Id, log.Message);
                break;
            case StopChannel { Passivate: true }:
                Context.Parent.Tell(new Passivate(PassivateNow.Instance));
                break;
            case StopChannel:
                Context.Stop(Self);
                break;
        }
    }

    private void RestartMonitorNow()
    {
        if (_monitor is not null)
        {
            Context.Unwatch(_monitor);
            Context.Stop(_monitor);
            _monitor = null;
        }
        if (_monitorSpec is { } spec)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"monitor-{++_monitors}");
            _monitor = Context.Watch(Context.ActorOf(_services.Children.Monitor(spec, _services), name));
        }
    }

    /// <summary>The worker of incarnation <paramref name="worker"/>, started on first use (an idle channel has none).</summary>
    private IActorRef Worker(ref (int Worker, IActorRef Ref)? current, int worker, string kind,
        Func<Settings.ChannelSettings, EngineServices, Props> props)
    {
        if (current is { } existing && existing.Worker == worker)
        {
            return existing.Ref;
        }
        StopWorkerBefore(ref current, worker);
        var child = Context.Watch(Context.ActorOf(props(_state.Settings!, _services), string.Create(CultureInfo.InvariantCulture, $"{kind}-{worker}")));
        current = (worker, child);
        return child;
    }

    /// <summary>Stops a worker of an older incarnation: its upload is cancelled and whatever it still says is stale.</summary>
    private void StopWorkerBefore(ref (int Worker, IActorRef Ref)? current, int worker)
    {
        if (current is { } existing && existing.Worker < worker)
        {
            Context.Unwatch(existing.Ref);
            Context.Stop(existing.Ref);
            current = null;
        }
    }

    private void OnChildTerminated(Terminated terminated)
    {
        var child = terminated.ActorRef;
        if (child.Equals(_monitor))
        {
            _monitor = null;
            var reason = _lastChildFailure ?? "it stopped";
            _lastChildFailure = null;
            _services.Metrics.MonitorFailed();
            Handle(new MonitorStopped(reason)); // the decider starts a new one after its back-off
            return;
        }
        foreach (var (attempt, recorder) in _recorders)
        {
            if (recorder.Equals(child))
            {
                _recorders.Remove(attempt);
                Handle(new RecorderTerminated(attempt));
                return;
            }
        }
        if (_splitter is { } splitter && splitter.Ref.Equals(child))
        {
            _splitter = null;
            Handle(new WorkerTerminated(splitter.Worker));
        }
        else if (_uploader is { } uploader && uploader.Ref.Equals(child))
        {
            _uploader = null;
            Handle(new WorkerTerminated(uploader.Worker));
        }
    }

    /// <summary>
    /// Measures the free space through the node's gauge (on a blocking-I/O thread, shared by the channels of one folder: a hung
    /// mount holds neither the actor nor the thread pool), one measurement at a time: a tick while one is still out is skipped.
    /// </summary>
    private void MeasureDisk()
    {
        if (_state.Settings is not { } settings || _measuringDisk)
        {
            return;
        }
        _measuringDisk = true;
        var folder = settings.Recording.OutputDir;
        _services.FreeSpace.FreeBytesAsync(folder).PipeTo(Self,
            success: free => new DiskMeasurement(free, folder, null),
            failure: ex => new DiskMeasurement(null, folder, ex.Message));
    }

    private void OnDiskMeasured(DiskMeasurement measurement)
    {
        _measuringDisk = false;
        if (measurement.FreeBytes is { } free)
        {
            Handle(new DiskMeasured(free));
        }
        else
        {
            LogDiskUnknown(_log, Id, measurement.Folder, measurement.Error ?? "no answer");
        }
    }

    /// <summary>
    /// Stops a recorder that outlived the channel's last incarnation (it would keep writing into the session),
    /// then probes every segment file the journal does not list. Never throws: a file that cannot be probed is
    /// set aside with the reason.
    /// </summary>
    private static async Task<AdoptionFinished> AdoptAsync(AdoptSegments adopt, SegmentAdopter adopter, IActorRef channel, CancellationToken cancellationToken)
    {
        var kept = ImmutableList.CreateBuilder<SegmentFinished>();
        var setAside = ImmutableList.CreateBuilder<SegmentSetAside>();
        await OrphanReaper.KillOrphansAsync(adopt.Directory, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        channel.Tell(new OrphansReaped(adopt.Token)); // a new attempt may start now: the files listed below are all older
        foreach (var (path, attempt) in await BlockingIo.Run(() => Unlisted(adopt)).ConfigureAwait(false))
        {
            switch (await adopter.AdoptAsync(path, cancellationToken).ConfigureAwait(false))
            {
                case AdoptionResult.Kept k:
                    kept.Add(new SegmentFinished(attempt, path, k.Duration, k.Bytes, Adopted: true));
                    break;
                case AdoptionResult.Dropped dropped:
                    setAside.Add(new SegmentSetAside(attempt, path, dropped.Reason));
                    break;
            }
        }
        return new AdoptionFinished(adopt.Token, kept.ToImmutable(), setAside.ToImmutable());
    }

    /// <summary>The session's segment files the journal does not list, in recording order, with their attempt.</summary>
    private static List<(string Path, int Attempt)> Unlisted(AdoptSegments adopt) =>
        !Directory.Exists(adopt.Directory)
            ? []
            : Directory.EnumerateFiles(adopt.Directory)
                .Where(path => !adopt.Known.Contains(path) && ContainerExtensions.Parse(Path.GetExtension(path).TrimStart('.')) is not null)
                .Select(path => (Path: path, Parsed: SegmentFileName.TryParse(Path.GetFileName(path), out var attempt, out var number) ? (attempt, number) : ((int, int)?)null))
                .Where(f => f.Parsed is { } parsed && parsed.Item1 < adopt.BelowAttempt)
                .OrderBy(f => f.Parsed!.Value.Item1).ThenBy(f => f.Parsed!.Value.Item2)
                .Select(f => (f.Path, f.Parsed!.Value.Item1))
                .ToList();

    /// <summary>Deletes a completed session's files (on a blocking-I/O thread); a failure is reported, never thrown: the channel tries again later.</summary>
    private static Task<IChannelInput> DeleteAsync(DeleteFiles delete) => BlockingIo.Run(() => Delete(delete));

    private static IChannelInput Delete(DeleteFiles delete)
    {
        try
        {
            long freed = 0;
            foreach (var file in delete.Files)
            {
                var info = new FileInfo(file);
                if (info.Exists)
                {
                    freed += info.Length;
                    info.Delete();
                }
            }
            if (Directory.Exists(delete.Directory))
            {
                foreach (var list in Directory.EnumerateFiles(delete.Directory, "*.segments.csv"))
                {
                    File.Delete(list);
                }
                // The parts folder also holds parts replaced by smaller ones (a target refused their size).
                var parts = Path.Combine(delete.Directory, "parts");
                if (Directory.Exists(parts))
                {
                    foreach (var leftover in Directory.EnumerateFiles(parts))
                    {
                        freed += new FileInfo(leftover).Length;
                        File.Delete(leftover);
                    }
                    Directory.Delete(parts);
                }
            }
            return new CleanupDone(delete.SessionId, freed);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new CleanupFailed(delete.SessionId, ex.Message);
        }
    }

    [LoggerMessage(Message = "channel {Channel}: {Message}")]
    private static partial void LogDecision(ILogger logger, LogLevel level, string channel, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "channel {Channel}: cannot measure free space under {OutputDir}: {Reason}")]
    private static partial void LogDiskUnknown(ILogger logger, string channel, string outputDir, string reason);
}
