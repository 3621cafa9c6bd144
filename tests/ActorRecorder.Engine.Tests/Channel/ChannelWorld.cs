using System.Collections.Immutable;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Delivery;
using ActorRecorder.Engine.Monitor;
using ActorRecorder.Engine.Recording;
using ActorRecorder.Engine.Serialization;
using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Engine.Tests.Channel;

/// <summary>What may happen to a channel from outside, at a moment of the simulation.</summary>
public enum Fault
{
    FfmpegFails,
    FfmpegActorDies,
    ChannelRestarts,
    NodeCrashes,
    WorkerDies,
    Pause,
    Resume,
    DiskLow,
    DiskOk,
    SettingsChange,
    Retire,
    ReAdd,
    Shutdown,
    /// <summary>The management API's commands: start (resume and check now), stop (end the session and pause), split.</summary>
    StartCommand,
    StopCommand,
    SplitCommand,
}

/// <summary>
/// A channel in a simulated world on virtual time: a platform whose broadcasts follow a schedule, ffmpeg
/// processes that write segments while the stream is live, a monitor that polls, delivery workers that
/// answer late, fail, hang or die, a disk that fills, and faults injected at given moments (a crash kills the
/// incarnation: its timers, children and mailbox are lost, and the next one starts from the journal).
/// Every input goes through the real <see cref="ChannelDecider"/>; the simulation only plays the world and
/// checks the invariants as it goes.
/// </summary>
internal sealed class ChannelWorld
{
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Stall = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan Segment = TimeSpan.FromSeconds(2);
    private static readonly DateTimeOffset Epoch = new(2026, 11, 30, 20, 0, 0, TimeSpan.Zero);

    private readonly Random _random;
    private readonly IReadOnlyList<(TimeSpan Start, TimeSpan End)> _live;
    private readonly PriorityQueue<Action, (DateTimeOffset, long)> _queue = new();
    private readonly Dictionary<string, long> _timers = [];
    private readonly HashSet<int> _deadWorkers = [];
    private readonly Dictionary<string, List<string>> _leftovers = [];
    private readonly Dictionary<(string Session, int Part, string Target), List<(long Request, int Worker)>> _handed = [];
    private bool _workersMisbehave;
    private readonly bool _adoptionMayHang;
    private long _sequence;
    private ChannelState _state;
    private ChannelSettings _settings;
    private int _incarnation;
    private bool _alive;
    private readonly HashSet<long> _answered = [];
    private PersistedState _journalState = new();
    private long _decisions;
    private bool _configured = true;
    private bool _diskLow;
    private long _pollTimer;
    private bool _monitorRecording;
    private bool _monitorLast;
    private bool _reportNext;
    private int _diskGeneration;
    private Sim? _recorder;

    public ChannelWorld(int seed, IReadOnlyList<(TimeSpan Start, TimeSpan End)> live, bool workersMisbehave, bool adoptionMayHang)
    {
        _random = new Random(seed);
        _live = live;
        _workersMisbehave = workersMisbehave;
        _adoptionMayHang = adoptionMayHang;
        _settings = ChannelScript.DefaultSettings(targets: ["archive", "telegram"]) is var s
            ? s with
            {
                Recording = s.Recording with { PollInterval = Poll, GracePeriod = Grace, StallTimeout = Stall, SegmentDuration = Segment, MinFreeDisk = 1000, DiskCheckInterval = TimeSpan.FromSeconds(15) },
                Delivery = s.Delivery with { Telegram = new TelegramTargetSettings("http://bot", SecretRef.TelegramBotToken, "-1001", 1 << 20, 1, 0, "{part}", false) },
            }
            : throw new InvalidOperationException();
        _state = ChannelState.Initial(_settings.Id);
        Now = Epoch;
        StartIncarnation();
    }

    public DateTimeOffset Now { get; private set; }

    public List<IChannelEvent> Journal { get; } = [];

    public List<string> Violations { get; } = [];

    public ChannelState State => _state;

    /// <summary>While retired (removed and not added again): no recording may start.</summary>
    public bool Retired => !_configured;

    public bool IsLive(DateTimeOffset at) => _live.Any(l => at - Epoch >= l.Start && at - Epoch < l.End);

    /// <summary>Runs the world until <paramref name="until"/>, injecting each fault at its moment.</summary>
    public void Run(TimeSpan until, IEnumerable<(TimeSpan At, Fault Fault)> faults)
    {
        foreach (var (at, fault) in faults)
        {
            At(Epoch + at, () => Inject(fault));
        }
        while (_queue.TryPeek(out _, out var next) && next.Item1 <= Epoch + until)
        {
            Now = next.Item1;
            _queue.Dequeue()();
        }
        Now = Epoch + until;
    }

    /// <summary>
    /// Faults stop (workers answer, slowly or with a failure sometimes), the platform stays offline, the disk is fine, the channel is configured and running: runs until
    /// <paramref name="settled"/> holds (checked each virtual minute) or <paramref name="until"/>.
    /// </summary>
    public void Settle(TimeSpan until, Func<ChannelState, bool> settled)
    {
        At(Now, () =>
        {
            _diskLow = false;
            _workersMisbehave = false;
            if (!_configured)
            {
                Inject(Fault.ReAdd);
            }
            if (!_alive)
            {
                StartIncarnation();
            }
        });
        for (var at = Now - Epoch + TimeSpan.FromMinutes(1); at <= until; at += TimeSpan.FromMinutes(1))
        {
            Run(at, []);
            if (_alive && settled(_state))
            {
                return;
            }
        }
    }

    private void At(DateTimeOffset when, Action action) => _queue.Enqueue(action, (when < Now ? Now : when, ++_sequence));

    /// <summary>Schedules a message for the current incarnation; it is lost if the incarnation dies first.</summary>
    private void Send(TimeSpan delay, IChannelInput input)
    {
        var incarnation = _incarnation;
        At(Now + delay, () =>
        {
            if (_alive && incarnation == _incarnation)
            {
                Give(input);
            }
        });
    }

    private void Give(IChannelInput input)
    {
        var before = _state;
        if (input is PartDelivered { RequestId: var delivered } && before.Runtime.Delivery.Outstanding?.Id == delivered
            || input is DeliveryFailed { RequestId: var failed } && before.Runtime.Delivery.Outstanding?.Id == failed)
        {
            _answered.Add(before.Runtime.Delivery.Outstanding!.Id);
        }
        var decision = ChannelDecider.Decide(_state, input, Now);
        foreach (var e in decision.Events)
        {
            Check(e);
            Journal.Add(e);
        }
        _state = decision.State;
        CheckStateIsTheJournalsFold(input);
        foreach (var effect in decision.Effects)
        {
            Run(effect, decision.State);
        }
    }

    private void Check(IChannelEvent e)
    {
        var persisted = _journalState;
        _journalState = _journalState.Apply(e);
        if (e is SessionStarted && persisted.Current is not null)
        {
            Violations.Add($"{Now:HH:mm:ss.f}: a second session started while {persisted.Current.Id} was open");
        }
        if (Retired && e is SessionStarted or RecordingAttemptStarted or StreamResumed)
        {
            Violations.Add($"{Now:HH:mm:ss.f}: {e.GetType().Name} after the channel was removed");
        }
        if (e is PartReplanned replanned)
        {
            // The refused part and every later one are new content under their numbers.
            foreach (var key in _handed.Keys.Where(k => k.Session == replanned.SessionId && k.Part >= replanned.Part).ToList())
            {
                _handed.Remove(key);
            }
        }
        if (e is SessionEnded ended && ended.Reason.StartsWith("no stream for the grace period", StringComparison.Ordinal)
            && Journal.OfType<StreamDropped>().LastOrDefault(d => d.SessionId == ended.SessionId) is { } drop && ended.At - drop.At < Grace)
        {
            Violations.Add($"{Now:HH:mm:ss.f}: session {ended.SessionId} ended {(ended.At - drop.At).TotalSeconds} s after its last drop, before the grace period");
        }
    }

    /// <summary>
    /// The state the channel holds is what its journal folds to: the fold kept event by event after every decision, from
    /// scratch every 200th decision, and through a snapshot's round trip (what a restart reads) every 25th.
    /// </summary>
    private void CheckStateIsTheJournalsFold(IChannelInput input)
    {
        var held = Json(_state.Persisted);
        if (Json(_journalState) != held)
        {
            Violations.Add($"{Now:HH:mm:ss.f}: after {input.GetType().Name} the channel holds a state its journal does not fold to");
        }
        if (++_decisions % 200 == 0 && Json(Journal.Aggregate(new PersistedState(), (state, e) => state.Apply(e))) != held)
        {
            Violations.Add($"{Now:HH:mm:ss.f}: after {input.GetType().Name} the journal folded from scratch differs from the state held");
        }
        if (_decisions % 25 == 0)
        {
            var (manifest, payload) = RecorderMessages.Catalog.Serialize(_state.Persisted);
            if (Json(RecorderMessages.Catalog.Deserialize(manifest, payload)) != held)
            {
                Violations.Add($"{Now:HH:mm:ss.f}: after {input.GetType().Name} the state read back from its snapshot differs");
            }
        }
    }

    private static string Json(object value) => System.Text.Encoding.UTF8.GetString(RecorderMessages.Catalog.Serialize(value).Payload);

    private void StartIncarnation()
    {
        _incarnation++;
        _alive = true;
        _timers.Clear();
        _handed.Clear();
        _recorder = null;
        _monitorRecording = false;
        _state = Journal.Aggregate(ChannelState.Initial(_settings.Id), ChannelDecider.Evolve);
        Send(TimeSpan.FromMilliseconds(50), _configured ? new ConfigureChannel(_settings) : new ChannelNotConfigured());
    }

    /// <summary>The incarnation dies with everything it had running; a killed ffmpeg leaves its unfinished segment.</summary>
    private void Kill(int orphanSegments)
    {
        _alive = false;
        if (_recorder is { } recorder && _state.Persisted.Current is { } session)
        {
            var files = _leftovers.TryGetValue(session.Directory, out var list) ? list : _leftovers[session.Directory] = [];
            for (var i = 0; i <= orphanSegments; i++)
            {
                files.Add($"{session.Directory}/a{recorder.Attempt:000}-{recorder.Next + i:00000}.ts");
            }
        }
        _recorder = null;
    }

    private void Inject(Fault fault)
    {
        switch (fault)
        {
            case Fault.FfmpegFails when _alive && _recorder is { Stopping: false } recorder:
                _recorder = null;
                Send(TimeSpan.Zero, new RecordingStopped(recorder.Attempt, RecordingOutcome.Failed, "ffmpeg exited with code 1", 1));
                break;
            case Fault.FfmpegActorDies when _alive && _recorder is { } recorder:
                _recorder = null;
                Send(TimeSpan.Zero, new RecorderTerminated(recorder.Attempt));
                break;
            case Fault.ChannelRestarts when _alive:
                Kill(orphanSegments: 0);
                At(Now + TimeSpan.FromSeconds(_random.Next(1, 6)), StartIncarnation);
                break;
            case Fault.NodeCrashes when _alive:
                Kill(orphanSegments: _random.Next(0, 3));
                At(Now + TimeSpan.FromSeconds(_random.Next(2, 6)), StartIncarnation);
                break;
            case Fault.WorkerDies when _alive:
                _deadWorkers.Add(_state.Runtime.Delivery.Worker);
                Send(TimeSpan.FromMilliseconds(10), new WorkerTerminated(_state.Runtime.Delivery.Worker));
                break;
            case Fault.Pause when _alive:
                Send(TimeSpan.Zero, new PauseChannel());
                break;
            case Fault.Resume when _alive:
                Send(TimeSpan.Zero, new ResumeChannel());
                break;
            case Fault.StartCommand when _alive:
                Send(TimeSpan.Zero, new StartRecordingCommand());
                break;
            case Fault.StopCommand when _alive:
                Send(TimeSpan.Zero, new StopRecordingCommand());
                break;
            case Fault.SplitCommand when _alive:
                Send(TimeSpan.Zero, new SplitSessionCommand());
                break;
            case Fault.DiskLow:
                _diskLow = true;
                break;
            case Fault.DiskOk:
                _diskLow = false;
                break;
            case Fault.SettingsChange when _alive && _configured:
                _settings = _settings with { Delivery = _settings.Delivery with { ArchivePath = _settings.Delivery.ArchivePath + "x" } };
                Send(TimeSpan.Zero, new ConfigureChannel(_settings));
                break;
            case Fault.Retire when _configured:
                _configured = false;
                if (_alive)
                {
                    Send(TimeSpan.Zero, new RetireChannel());
                }
                break;
            case Fault.ReAdd when !_configured:
                _configured = true;
                if (_alive)
                {
                    Send(TimeSpan.Zero, new ConfigureChannel(_settings));
                }
                else
                {
                    StartIncarnation(); // the shard starts it for the directory's message
                }
                break;
            case Fault.Shutdown when _alive:
                Send(TimeSpan.Zero, new ShutdownChannel());
                break;
        }
    }

    private void Run(ChannelEffect effect, ChannelState decided)
    {
        switch (effect)
        {
            case StartMonitor:
            case CheckLiveNow:
                _reportNext = true;
                SchedulePoll(TimeSpan.FromMilliseconds(100));
                break;
            case MonitorRecording recording:
                _monitorRecording = recording.Active;
                if (!recording.Active)
                {
                    SchedulePoll(Poll);
                }
                break;
            case StartRecorder start:
                _recorder = new Sim(start.Attempt, start.Request.OutputDirectory, _random.Next(2) == 0, Now);
                Send(TimeSpan.FromMilliseconds(100), new RecordingStarted(start.Attempt, 1000 + start.Attempt));
                Tick(_recorder, _incarnation);
                break;
            case StopRecorder stop when _recorder is { } recorder && recorder.Attempt == stop.Attempt && !recorder.Stopping:
                recorder.Stopping = true;
                Send(TimeSpan.FromMilliseconds(300), new SegmentFinished(recorder.Attempt, recorder.Path(recorder.Next++), TimeSpan.FromSeconds(1), 100, Adopted: true));
                Send(TimeSpan.FromMilliseconds(301), new RecordingStopped(recorder.Attempt, RecordingOutcome.Stopped, stop.Reason, 0));
                break;
            case StartTimer timer:
                var id = ++_sequence;
                _timers[timer.Key] = id;
                var owner = _incarnation;
                At(Now + timer.Delay, () =>
                {
                    if (_alive && owner == _incarnation && _timers.TryGetValue(timer.Key, out var current) && current == id)
                    {
                        _timers.Remove(timer.Key);
                        Give(timer.Message);
                    }
                });
                break;
            case CancelTimer timer:
                _timers.Remove(timer.Key);
                break;
            case WatchDisk watch:
                var diskGeneration = ++_diskGeneration;
                var diskOwner = _incarnation;
                At(Now, () => Disk(diskGeneration, diskOwner, watch.Interval));
                break;
            case AdoptSegments adopt:
                // The orphans are reaped at once (a new attempt may start), the files probed later.
                Send(TimeSpan.FromMilliseconds(50), new OrphansReaped(adopt.Token));
                if (!_adoptionMayHang || _random.Next(10) > 0)
                {
                    var kept = (_leftovers.TryGetValue(adopt.Directory, out var files) ? files : [])
                        .Where(f => !adopt.Known.Contains(f) && (Media.Ffmpeg.SegmentFileName.TryParse(f, out var attempt, out _) ? attempt : 0) < adopt.BelowAttempt)
                        .Select(f => new SegmentFinished(Media.Ffmpeg.SegmentFileName.TryParse(f, out var a, out _) ? a : 0, f, TimeSpan.FromSeconds(1), 100, true))
                        .ToImmutableList();
                    Send(TimeSpan.FromMilliseconds(500), new AdoptionFinished(adopt.Token, kept, []));
                }
                break;
            case ToSplitter { Message: SplitSession split } to:
                Answer(to.Worker, TimeSpan.FromSeconds(_random.Next(1, 5)), _random.Next(20) switch
                {
                    0 => new SplitFailed(split.RequestId, split.Worker, split.SessionId, "ffmpeg could not read a segment", Permanent: true),
                    1 => new SplitFailed(split.RequestId, split.Worker, split.SessionId, "No space left on device", Permanent: false),
                    _ => new SessionSplit(split.RequestId, split.Worker, split.SessionId,
                        Enumerable.Range(1, Math.Max(1, split.Segments.Count / 3))
                            .Select(n => new PartInfo(n, $"{split.PartsDirectory}/part-{n:00}.mp4", 1000, Segment, null, null, null)).ToImmutableList(),
                        []),
                });
                break;
            case ToSplitter { Message: RecutPart recut } to:
                Answer(to.Worker, TimeSpan.FromSeconds(1), new PartRecut(recut.RequestId, recut.Worker, recut.SessionId, recut.Part.Number,
                    [recut.Part with { Path = recut.Part.Path + "a" }, recut.Part with { Number = recut.Part.Number + 1, Path = recut.Part.Path + "b" }]));
                break;
            case ToUploader { Message: DeliverPart deliver } to:
                Handed(deliver, decided);
                Answer(to.Worker, TimeSpan.FromSeconds(_random.Next(1, 4)), _random.Next(20) switch
                {
                    0 or 1 => new DeliveryFailed(deliver.RequestId, deliver.Worker, deliver.Item.SessionId, deliver.Item.Part.Number, deliver.Target, "429: retry after 2", false),
                    2 => new DeliveryFailed(deliver.RequestId, deliver.Worker, deliver.Item.SessionId, deliver.Item.Part.Number, deliver.Target, "413", false, TooLarge: true),
                    _ => new PartDelivered(deliver.RequestId, deliver.Worker, deliver.Item.SessionId, deliver.Item.Part.Number, deliver.Target, "somewhere"),
                });
                break;
            case ToUploader { Message: PostStatus post } to:
                Answer(to.Worker, TimeSpan.FromMilliseconds(500), new StatusPosted(post.SessionId, "m" + _sequence));
                break;
            case RetireWorkersBefore retire:
                for (var worker = 1; worker < retire.Worker; worker++)
                {
                    _deadWorkers.Add(worker);
                }
                break;
            case DeleteFiles delete:
                Send(TimeSpan.FromMilliseconds(200), _random.Next(5) == 0
                    ? new CleanupFailed(delete.SessionId, "Permission denied")
                    : new CleanupDone(delete.SessionId, delete.Files.Count * 100));
                break;
            case StopChannel stop:
                Kill(orphanSegments: 0);
                if (!stop.Passivate)
                {
                    At(Now + TimeSpan.FromSeconds(2), StartIncarnation); // the node comes back
                }
                break;
        }
    }

    /// <summary>
    /// A part may be handed to a target again only once every earlier request for it was answered or its
    /// worker was replaced (a replaced worker's upload is cancelled), and never after it was confirmed.
    /// </summary>
    private void Handed(DeliverPart deliver, ChannelState decided)
    {
        var key = (deliver.Item.SessionId, deliver.Item.Part.Number, deliver.Target);
        if (decided.Persisted.Ended(key.SessionId)?.IsUploaded(key.Number, key.Target) == true)
        {
            Violations.Add($"{Now:HH:mm:ss.f}: part {key.Number} of {key.SessionId} handed to {key.Target} after it was confirmed");
        }
        if (!_handed.TryGetValue(key, out var earlier))
        {
            _handed[key] = earlier = [];
        }
        foreach (var (request, worker) in earlier)
        {
            if (worker == deliver.Worker && !_answered.Contains(request))
            {
                Violations.Add($"{Now:HH:mm:ss.f}: part {key.Number} of {key.SessionId} handed to {key.Target} again while worker {worker} may still be uploading it");
            }
        }
        earlier.Add((deliver.RequestId, deliver.Worker));
    }

    /// <summary>A worker's answer; a misbehaving worker sometimes hangs, dies, or answers long after its request timed out.</summary>
    private void Answer(int worker, TimeSpan delay, IChannelInput reply)
    {
        if (_workersMisbehave)
        {
            switch (_random.Next(20))
            {
                case 0:
                    return; // hangs: only the request's timeout gets the channel out
                case 1:
                    _deadWorkers.Add(worker);
                    Send(delay, new WorkerTerminated(worker));
                    return;
                case 2:
                    delay += TimeSpan.FromHours(1); // answers after its request timed out
                    break;
            }
        }
        if (_deadWorkers.Contains(worker) && _random.Next(2) == 0)
        {
            return;
        }
        Send(delay, reply);
    }

    /// <summary>The monitor's one poll timer: a check now (or later) replaces the scheduled one, as the actor's timer does.</summary>
    private void SchedulePoll(TimeSpan delay)
    {
        var id = ++_pollTimer;
        var incarnation = _incarnation;
        At(Now + delay, () => PollNow(id, incarnation));
    }

    private void PollNow(long id, int incarnation)
    {
        if (!_alive || incarnation != _incarnation || id != _pollTimer)
        {
            return;
        }
        var live = IsLive(Now);
        if (_reportNext || live != _monitorLast)
        {
            Give(live ? new WentLive("http://cdn/live.m3u8", ImmutableDictionary<string, string>.Empty, "title", "https://site/channel") : new WentOffline("HTTP 404"));
        }
        _monitorLast = live;
        _reportNext = false;
        SchedulePoll(_monitorRecording ? Poll * 10 : Poll);
    }

    private void Disk(int generation, int incarnation, TimeSpan interval)
    {
        if (!_alive || incarnation != _incarnation || generation != _diskGeneration)
        {
            return;
        }
        Give(new DiskMeasured(_diskLow ? 10 : 1_000_000));
        At(Now + interval, () => Disk(generation, incarnation, interval));
    }

    /// <summary>ffmpeg: a segment per segment duration while the stream is live; at its end it stops by itself, or the stall watchdog stops it.</summary>
    private void Tick(Sim recorder, int incarnation)
    {
        At(Now + Segment, () =>
        {
            if (!_alive || incarnation != _incarnation || _recorder != recorder || recorder.Stopping)
            {
                return;
            }
            if (IsLive(Now))
            {
                recorder.LastMedia = Now;
                recorder.OutTime += Segment;
                Give(new SegmentFinished(recorder.Attempt, recorder.Path(recorder.Next++), Segment, 1000, false));
                Give(new RecordingProgress(recorder.Attempt, recorder.OutTime, 1000, 1.0));
                Tick(recorder, incarnation);
                return;
            }
            if (recorder.EndsCleanly || Now - (recorder.LastMedia ?? recorder.StartedAt) >= Stall)
            {
                _recorder = null;
                Give(new RecordingStopped(recorder.Attempt, recorder.EndsCleanly ? RecordingOutcome.Ended : RecordingOutcome.Stalled, "the stream ended", 0));
                return;
            }
            Give(new RecordingProgress(recorder.Attempt, recorder.OutTime, 1000, 0));
            Tick(recorder, incarnation);
        });
    }

    private sealed class Sim(int attempt, string directory, bool endsCleanly, DateTimeOffset startedAt)
    {
        public int Attempt { get; } = attempt;
        public DateTimeOffset StartedAt { get; } = startedAt;
        public bool EndsCleanly { get; } = endsCleanly;
        public bool Stopping { get; set; }
        public int Next { get; set; }
        public TimeSpan OutTime { get; set; }
        public DateTimeOffset? LastMedia { get; set; }

        public string Path(int number) => $"{directory}/a{Attempt:000}-{number:00000}.ts";
    }
}
