using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using Akka.TestKit;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Delivery;
using ActorRecorder.Engine.Monitor;
using ActorRecorder.Engine.Recording;
using ActorRecorder.Engine.Settings;
using Xunit.Abstractions;

namespace ActorRecorder.Engine.Tests.Channel;

/// <summary>
/// The channel actor around the decider, with probes for its children and Akka.Persistence.TestKit's journal:
/// effects wait for their events, a failed write stops the channel (its shard starts it again and it replays),
/// a rejected write skips its effects, settings come by message, snapshots shorten the replay.
/// </summary>
public sealed class ChannelActorSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly Config TestPersistence = ConfigurationFactory.ParseString("""
        akka.persistence.journal.plugin = "akka.persistence.journal.test"
        akka.persistence.journal.test.class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
        akka.persistence.journal.test.plugin-dispatcher = "akka.actor.default-dispatcher"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.test"
        akka.persistence.snapshot-store.test.class = "Akka.Persistence.TestKit.TestSnapshotStore, Akka.Persistence.TestKit"
        akka.persistence.snapshot-store.test.plugin-dispatcher = "akka.actor.default-dispatcher"
        akka.actor.serializers.recorder = "ActorRecorder.Engine.Serialization.RecorderSerializer, ActorRecorder.Engine"
        akka.actor.serialization-bindings { "ActorRecorder.Engine.Serialization.IRecorderMessage, ActorRecorder.Engine" = recorder }
        """);

    private readonly TestProbe _directory;
    private readonly TestProbe _recorders;
    private readonly TestProbe _uploaders;
    private readonly TestProbe _events;

    public ChannelActorSpecs(ITestOutputHelper output) : base(TestPersistence, "channel-specs", output)
    {
        _directory = CreateTestProbe("directory");
        _recorders = CreateTestProbe("recorders");
        _uploaders = CreateTestProbe("uploaders");
        _events = CreateTestProbe("events");
        Sys.EventStream.Subscribe(_events.Ref, typeof(ChannelEventPersisted));
    }

    private ITestJournal Journal => TestJournal.FromRef(Persistence.Instance.Apply(Sys).JournalFor(null));

    private EngineServices Services(int snapshotEvery = 100) => EngineServices.Create() with
    {
        SnapshotEvery = snapshotEvery,
        FreeBytes = _ => long.MaxValue,
        Children = new ChannelChildren(
            (_, _) => Props.Create(() => new Silent()),
            (start, _, _) => Props.Create(() => new Forward(_recorders.Ref, start)),
            (_, _) => Props.Create(() => new Silent()),
            (_, _) => Props.Create(() => new Forward(_uploaders.Ref, null))),
    };

    /// <summary>A channel started as the shard would, with no settings until it asks (under the test actor, which then gets what it tells its parent).</summary>
    private IActorRef StartChannel(EngineServices services, bool underTestActor = false)
    {
        var props = ChannelActor.Props("demo", services, _directory.Ref);
        var channel = underTestActor ? ChildActorOf(props, "demo", SupervisorStrategy.StoppingStrategy) : Sys.ActorOf(props);
        Watch(channel);
        return channel;
    }

    /// <summary>The channel asks the directory for its settings once it replayed; the directory answers.</summary>
    private void AnswerSettings(ChannelSettings settings)
    {
        var ask = _directory.ExpectMsg<GetChannelSettings>(TimeSpan.FromSeconds(10));
        Assert.Equal("demo", ask.ChannelId);
        _directory.LastSender.Tell(new ConfigureChannel(settings));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_channel_must_take_its_settings_by_message_and_hold_other_inputs_until_then()
    {
        var channel = StartChannel(Services());
        channel.Tell(ChannelScript.Live()); // before its settings: waits in the stash
        var status = await channel.Ask<ChannelStatus>(new GetChannelStatus(), TimeSpan.FromSeconds(5));
        Assert.Equal(Lifecycle.AwaitingSettings, status.Lifecycle);

        AnswerSettings(ChannelScript.DefaultSettings());

        var started = _recorders.ExpectMsg<StartRecorder>(TimeSpan.FromSeconds(10));
        Assert.Equal(1, started.Attempt);
        Assert.IsType<SessionStarted>(_events.ExpectMsg<ChannelEventPersisted>().Event);
    }

    [Fact(Timeout = 30_000)]
    public async Task Effects_must_wait_until_their_events_are_persisted()
    {
        var channel = StartChannel(Services());
        AnswerSettings(ChannelScript.DefaultSettings());
        var gate = new WriteGate();
        await Journal.OnWrite.SetInterceptorAsync(gate);

        channel.Tell(ChannelScript.Live());

        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        // The write is held until the gate opens: whatever arrives meanwhile ran before its event was persisted.
        _recorders.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        _events.ExpectNoMsg(TimeSpan.Zero);
        gate.Open();
        _recorders.ExpectMsg<StartRecorder>(TimeSpan.FromSeconds(10));
        Assert.IsType<SessionStarted>(_events.ExpectMsg<ChannelEventPersisted>(TimeSpan.FromSeconds(10)).Event);
    }

    [Fact]
    public void A_channel_whose_shard_lease_is_lost_must_stop_without_writing_or_starting_anything()
    {
        var holds = true;
        var channel = StartChannel(Services() with { HoldsChannel = id => id == "demo" && Volatile.Read(ref holds) });
        AnswerSettings(ChannelScript.DefaultSettings());
        Volatile.Write(ref holds, false); // another node took the channel while this one was frozen

        channel.Tell(ChannelScript.Live());

        ExpectTerminated(channel);
        _events.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        _recorders.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_channel_that_loses_its_lease_while_its_events_are_written_must_not_run_their_effects()
    {
        // Once armed, the lease holds for the check before the write and is gone by the check after it.
        var armed = 0;
        var checks = 0;
        var channel = StartChannel(Services() with { HoldsChannel = _ => Volatile.Read(ref armed) == 0 || Interlocked.Increment(ref checks) == 1 });
        AnswerSettings(ChannelScript.DefaultSettings());
        await channel.Ask<ChannelStatus>(new GetChannelStatus(), TimeSpan.FromSeconds(5)); // the settings are applied
        Volatile.Write(ref armed, 1);

        channel.Tell(ChannelScript.Live());

        ExpectTerminated(channel, TimeSpan.FromSeconds(5));
        Assert.Equal(2, Volatile.Read(ref checks));
        Assert.IsType<SessionStarted>(_events.ExpectMsg<ChannelEventPersisted>().Event); // the write landed...
        _recorders.ExpectNoMsg(TimeSpan.Zero); // ...but ffmpeg is the new holder's to start
    }

    [Fact(Timeout = 30_000)]
    public async Task A_failed_journal_write_must_stop_the_channel_without_effects_and_the_next_incarnation_must_replay()
    {
        var services = Services();
        var channel = StartChannel(services);
        AnswerSettings(ChannelScript.DefaultSettings());
        channel.Tell(ChannelScript.Live());
        var first = _recorders.ExpectMsg<StartRecorder>();
        _events.ReceiveN(2); // SessionStarted, RecordingAttemptStarted
        await Journal.OnWrite.Fail();

        channel.Tell(new SegmentFinished(1, first.Request.OutputDirectory + "/a001-00000.ts", TimeSpan.FromSeconds(2), 1000, false));

        ExpectTerminated(channel);
        await Journal.OnWrite.Pass();
        // The shard starts it again after its back-off: it replays what was acknowledged, adopts, and goes on in the same session.
        var again = StartChannel(services);
        AnswerSettings(ChannelScript.DefaultSettings());
        var status = await again.Ask<ChannelStatus>(new GetChannelStatus(), TimeSpan.FromSeconds(5));
        Assert.Contains(status.Lifecycle, new[] { Lifecycle.Adopting, Lifecycle.Active });
        Assert.Equal(0, status.Segments); // the segment whose write failed is not in the journal: adoption finds it on disk
        Assert.NotNull(status.SessionId);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_rejected_journal_write_must_skip_its_effects_and_the_channel_must_go_on()
    {
        var channel = StartChannel(Services());
        AnswerSettings(ChannelScript.DefaultSettings());
        await Journal.OnWrite.Reject();

        channel.Tell(ChannelScript.Live());

        _recorders.ExpectNoMsg(TimeSpan.FromSeconds(1));
        var status = await channel.Ask<ChannelStatus>(new GetChannelStatus(), TimeSpan.FromSeconds(5));
        Assert.Equal(ChannelMode.Offline, status.Mode);
        await Journal.OnWrite.Pass();
        channel.Tell(ChannelScript.Live());
        _recorders.ExpectMsg<StartRecorder>(TimeSpan.FromSeconds(5));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_retired_channel_must_ask_its_shard_to_passivate_it_once_its_session_is_over()
    {
        var channel = StartChannel(Services(), underTestActor: true);
        AnswerSettings(ChannelScript.DefaultSettings(targets: []));
        channel.Tell(ChannelScript.Live());
        var recorder = _recorders.ExpectMsg<StartRecorder>();

        channel.Tell(new RetireChannel());

        Assert.Contains("removed", _recorders.ExpectMsg<StopRecording>().Reason);
        channel.Tell(new RecordingStopped(recorder.Attempt, RecordingOutcome.Stopped, "asked", 0));
        var passivate = ExpectMsg<Passivate>(TimeSpan.FromSeconds(10)); // ChildActorOf forwards the child's messages to its parent here
        channel.Tell(passivate.StopMessage);
        ExpectTerminated(channel);
        var status = (await JournalEvents()).OfType<SessionEnded>().Single();
        Assert.Contains("removed", status.Reason);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_snapshot_every_few_events_must_bring_a_new_incarnation_to_the_same_state()
    {
        var services = Services(snapshotEvery: 5);
        var channel = StartChannel(services);
        AnswerSettings(ChannelScript.DefaultSettings());
        channel.Tell(ChannelScript.Live());
        var recorder = _recorders.ExpectMsg<StartRecorder>();
        for (var i = 0; i < 12; i++)
        {
            channel.Tell(new SegmentFinished(1, $"{recorder.Request.OutputDirectory}/a001-{i:00000}.ts", TimeSpan.FromSeconds(2), 1000, false));
        }
        _events.ReceiveN(14);
        var before = await channel.Ask<ChannelStatus>(new GetChannelStatus(), TimeSpan.FromSeconds(5));
        Sys.Stop(channel);
        ExpectTerminated(channel);

        var again = StartChannel(services);
        AnswerSettings(ChannelScript.DefaultSettings());
        var after = await again.Ask<ChannelStatus>(new GetChannelStatus(), TimeSpan.FromSeconds(5));
        Assert.Equal(before.SessionId, after.SessionId);
        Assert.Equal(12, after.Segments);
        Assert.Equal(before.BytesRecorded, after.BytesRecorded);
    }

    [Fact]
    public void A_worker_that_dies_must_be_noticed_and_delivery_must_resume_with_a_new_one()
    {
        var channel = StartChannel(Services() with
        {
            Children = Services().Children with
            {
                Splitter = (_, _) => Props.Create(() => new SplitsIntoOnePart()),
                Uploader = (_, _) => Props.Create(() => new DiesOnFirstPartThenDelivers()),
            },
        });
        AnswerSettings(ChannelScript.DefaultSettings() with { Recording = ChannelScript.DefaultSettings().Recording with { GracePeriod = TimeSpan.Zero } });
        channel.Tell(ChannelScript.Live());
        var recorder = _recorders.ExpectMsg<StartRecorder>();
        channel.Tell(new SegmentFinished(1, recorder.Request.OutputDirectory + "/a001-00000.ts", TimeSpan.FromSeconds(2), 1000, false));
        channel.Tell(new RecordingStopped(recorder.Attempt, RecordingOutcome.Ended, "the stream ended", 0)); // grace 0: the session ends

        var uploaded = FishForMessage<ChannelEventPersisted>(e => e.Event is PartUploaded, TimeSpan.FromSeconds(20));
        Assert.Equal(1, ((PartUploaded)uploaded.Event).Part);
        FishForMessage<ChannelEventPersisted>(e => e.Event is SessionCompleted, TimeSpan.FromSeconds(5));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_channel_whose_journal_holds_an_event_it_cannot_read_must_stop_with_the_reason_and_not_restart_itself()
    {
        // The journal of an earlier incarnation: a session started, then an event this version cannot read.
        var writer = Sys.ActorOf(Props.Create(() => new JournalWriter("channel-demo")));
        await writer.Ask<string>(new object[]
        {
            new SessionStarted("s1", "t", "u", "/rec/demo/s1", ChannelScript.Epoch),
            new Engine.Serialization.UnreadablePayload("channel.from-a-newer-version.v1", "Unknown event manifest [channel.from-a-newer-version.v1]"),
        }, TimeSpan.FromSeconds(5));

        var channel = StartChannel(Services());

        var status = await channel.Ask<ChannelStatus>(new GetChannelStatus(), TimeSpan.FromSeconds(5));
        Assert.Equal(Lifecycle.Unreadable, status.Lifecycle);
        Assert.Contains("event #2", status.Problem);
        Assert.Contains("channel.from-a-newer-version.v1", status.Problem);
        _directory.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // it asks for no settings: it will not run
        channel.Tell(ChannelScript.Live());
        channel.Tell(new ConfigureChannel(ChannelScript.DefaultSettings()));
        _recorders.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(Lifecycle.Unreadable, (await channel.Ask<ChannelStatus>(new GetChannelStatus(), TimeSpan.FromSeconds(5))).Lifecycle);

        // A start command replays it again (after the journal was repaired, the node upgraded): this incarnation stops.
        channel.Tell(new StartRecordingCommand());
        ExpectTerminated(channel);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_disk_measurement_that_blocks_must_hold_neither_the_channel_nor_the_thread_pool()
    {
        // 64 channels whose recordings folder hangs (the free-space call blocks in a real system call, reading a FIFO nobody
        // writes) beside one whose folder answers: the healthy one must keep deciding, and no blocked call may hold a
        // thread-pool thread (Akka's dispatcher, Kestrel and the lease renewals run there).
        var fifo = Path.Combine(Path.GetTempPath(), "ar-hung-" + Guid.NewGuid().ToString("N"));
        await Media.Processes.Tool.RunAsync("mkfifo", [fifo], TimeSpan.FromSeconds(10));
        var blocked = 0;
        var onThreadPool = 0;
        try
        {
            long HangingDisk(string _)
            {
                Interlocked.Increment(ref blocked);
                if (Thread.CurrentThread.IsThreadPoolThread)
                {
                    Interlocked.Increment(ref onThreadPool);
                }
                using var hung = File.OpenRead(fifo); // blocks until a writer opens it: a mount that does not answer
                return long.MaxValue;
            }
            var hungServices = Services() with { FreeBytes = HangingDisk };
            for (var i = 0; i < 64; i++)
            {
                var directory = CreateTestProbe();
                var hungChannel = Sys.ActorOf(ChannelActor.Props($"hung-{i}", hungServices, directory.Ref));
                directory.ExpectMsg<GetChannelSettings>(TimeSpan.FromSeconds(10));
                var settings = ChannelScript.DefaultSettings();
                // A folder each (the node measures a folder once for every channel in it: one shared folder would hold one call).
                directory.Reply(new ConfigureChannel(settings with { Id = $"hung-{i}", Recording = settings.Recording with { OutputDir = $"/hung/{i}" } }));
            }
            await NodeWorkspaceEventually(() => Volatile.Read(ref blocked) == 64, "every hung channel's measurement to block");

            var channel = StartChannel(Services());
            AnswerSettings(ChannelScript.DefaultSettings());
            channel.Tell(ChannelScript.Live());

            _recorders.ExpectMsg<StartRecorder>(TimeSpan.FromSeconds(10));
            Assert.Equal(Lifecycle.Active, (await channel.Ask<ChannelStatus>(new GetChannelStatus(), TimeSpan.FromSeconds(10))).Lifecycle);
            Assert.Equal(0, Volatile.Read(ref onThreadPool));
        }
        finally
        {
            // The mount answers again: every blocked call returns.
            await using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
            }
            File.Delete(fifo);
        }
    }

    [Fact]
    public void A_channel_added_back_while_it_waits_to_be_passivated_must_hand_its_settings_to_its_shard()
    {
        var channel = StartChannel(Services(), underTestActor: true);
        AnswerSettings(ChannelScript.DefaultSettings(targets: []));
        channel.Tell(new RetireChannel());
        ExpectMsg<Passivate>(TimeSpan.FromSeconds(10)); // nothing to finish: it asks to be passivated at once

        var again = new ConfigureChannel(ChannelScript.DefaultSettings(targets: []));
        channel.Tell(again);

        // Its shard keeps it for the next incarnation, which starts as soon as this one has stopped.
        var forwarded = ExpectMsg<ShardingEnvelope>(TimeSpan.FromSeconds(10));
        Assert.Equal("demo", forwarded.EntityId);
        Assert.Same(again, forwarded.Message);
    }

    private static async Task NodeWorkspaceEventually(Func<bool> condition, string what)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            Assert.False(patience.IsCancellationRequested, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Old_events_must_be_deleted_after_a_snapshot_but_never_those_an_open_session_needs_and_a_replay_must_see_the_same_channel()
    {
        var services = Services(snapshotEvery: 10);
        var settings = ChannelScript.DefaultSettings(targets: []) with { Recording = ChannelScript.DefaultSettings().Recording with { GracePeriod = TimeSpan.Zero } };
        var channel = StartChannel(services);
        AnswerSettings(settings);
        for (var broadcast = 0; broadcast < 3; broadcast++)
        {
            channel.Tell(ChannelScript.Live($"broadcast {broadcast}"));
            var recorder = _recorders.ExpectMsg<StartRecorder>(TimeSpan.FromSeconds(10));
            for (var i = 0; i < 3; i++)
            {
                channel.Tell(new SegmentFinished(recorder.Attempt, recorder.Request.SegmentPath(i), TimeSpan.FromSeconds(2), 1000, false));
            }
            channel.Tell(new RecordingStopped(recorder.Attempt, RecordingOutcome.Ended, "the stream ended", 0)); // grace 0: ended, nothing to deliver: completed
            FishForMessage<ChannelEventPersisted>(e => e.Event is SessionCompleted, TimeSpan.FromSeconds(10));
            channel.Tell(new WentOffline("over"));
        }
        channel.Tell(ChannelScript.Live("the open one"));
        var open = _recorders.ExpectMsg<StartRecorder>(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 12; i++)
        {
            channel.Tell(new SegmentFinished(open.Attempt, open.Request.SegmentPath(i), TimeSpan.FromSeconds(2), 1000, false));
        }
        var before = await channel.Ask<ChannelRecordings>(new GetChannelRecordings(), TimeSpan.FromSeconds(5));
        Assert.Equal(12, before.Current!.Segments.Count);

        // The completed broadcasts' events go (their state is in the snapshot); every event of the open session stays.
        await AwaitAssertAsync(async () =>
        {
            var journal = await JournalEvents();
            Assert.Equal("the open one", Assert.IsType<SessionStarted>(journal[0]).Title);
            Assert.Equal(12, journal.OfType<SegmentRecorded>().Count());
        }, TimeSpan.FromSeconds(20));

        Sys.Stop(channel);
        ExpectTerminated(channel);
        var again = StartChannel(services);
        AnswerSettings(settings);
        var after = await again.Ask<ChannelRecordings>(new GetChannelRecordings(), TimeSpan.FromSeconds(5));
        Assert.Equal(["broadcast 0", "broadcast 1", "broadcast 2"], after.History.Select(h => h.Title));
        Assert.Equal(before.Current.Id, after.Current!.Id);
        Assert.Equal(12, after.Current.Segments.Count);
    }

    private T FishForMessage<T>(Func<T, bool> match, TimeSpan timeout) => (T)_events.FishForMessage(m => m is T t && match(t), timeout);

    private async Task<IReadOnlyList<IChannelEvent>> JournalEvents()
    {
        var reader = Sys.ActorOf(Props.Create(() => new JournalDump("channel-demo")));
        return await reader.Ask<IReadOnlyList<IChannelEvent>>("dump", TimeSpan.FromSeconds(5));
    }

    /// <summary>Holds every journal write until opened; says when the first one arrives.</summary>
    private sealed class WriteGate : IJournalInterceptor
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Open() => _open.TrySetResult();

        public async Task InterceptAsync(IPersistentRepresentation message)
        {
            _entered.TrySetResult();
            await _open.Task;
        }
    }

    /// <summary>Stands in for a child that keeps quiet (the monitor, the splitter).</summary>
    private sealed class Silent : ReceiveActor
    {
        public Silent() => ReceiveAny(_ => { });
    }

    /// <summary>Tells the probe what it was started for and forwards what it receives.</summary>
    private sealed class Forward : ReceiveActor
    {
        public Forward(IActorRef probe, object? started)
        {
            if (started is not null)
            {
                probe.Tell(started);
            }
            ReceiveAny(message => probe.Forward(message));
        }
    }

    private sealed class SplitsIntoOnePart : ReceiveActor
    {
        public SplitsIntoOnePart() => Receive<SplitSession>(split => Sender.Tell(new SessionSplit(split.RequestId, split.Worker, split.SessionId,
            [new PartInfo(1, split.PartsDirectory + "/part-01.mp4", 1000, TimeSpan.FromSeconds(2), null, null, null)], [])));
    }

    /// <summary>The first incarnation throws (its supervisor stops it); the next one delivers.</summary>
    private sealed class DiesOnFirstPartThenDelivers : ReceiveActor
    {
        public DiesOnFirstPartThenDelivers() => Receive<DeliverPart>(deliver =>
        {
            if (deliver.Worker == 1)
            {
                throw new InvalidOperationException("the uploader broke");
            }
            Sender.Tell(new PartDelivered(deliver.RequestId, deliver.Worker, deliver.Item.SessionId, deliver.Item.Part.Number, deliver.Target, "ok"));
        });
    }

    /// <summary>Writes what it is given to a persistence id's journal, as an earlier incarnation would have.</summary>
    private sealed class JournalWriter : ReceivePersistentActor
    {
        public JournalWriter(string persistenceId)
        {
            PersistenceId = persistenceId;
            Command<object[]>(events =>
            {
                var replyTo = Sender;
                PersistAll(events, _ => { });
                DeferAsync("done", done => replyTo.Tell(done));
            });
        }

        public override string PersistenceId { get; }
    }

    /// <summary>Replays the events a persistence id's journal still holds (every one of them: no snapshot is offered).</summary>
    private sealed class JournalDump : ReceivePersistentActor
    {
        private readonly List<IChannelEvent> _events = [];

        public JournalDump(string persistenceId)
        {
            PersistenceId = persistenceId;
            Recover<IChannelEvent>(_events.Add);
            Command<string>(_ => Sender.Tell((IReadOnlyList<IChannelEvent>)_events));
        }

        public override string PersistenceId { get; }

        public override Recovery Recovery => new(SnapshotSelectionCriteria.None);
    }
}
