using System.Collections.Immutable;
using Akka.Configuration;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Serialization;
using ActorRecorder.Engine.Settings;
using Xunit.Abstractions;

namespace ActorRecorder.Engine.Tests.Serialization;

/// <summary>Everything persisted or sent between nodes goes through our serializer, under a stable manifest, and comes back equal.</summary>
public sealed class RecorderSerializerSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString("""
    akka.actor.serializers.recorder = "ActorRecorder.Engine.Serialization.RecorderSerializer, ActorRecorder.Engine"
    akka.actor.serialization-bindings { "ActorRecorder.Engine.Serialization.IRecorderMessage, ActorRecorder.Engine" = recorder }
    """), output: output)
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 20, 0, 0, TimeSpan.FromHours(1));

    private static readonly PartInfo Part = new(3, "/rec/demo/s/parts/part-03.mp4", 52_000_000, TimeSpan.FromMinutes(9), 1920, 1080, "/rec/demo/s/parts/part-03.jpg");

    /// <summary>One of every message type; the spec checks that none is missing.</summary>
    public static IEnumerable<IRecorderMessage> Samples()
    {
        var settings = Tests.Channel.ChannelScript.DefaultSettings(targets: ["archive", "telegram"]);
        settings = settings with { Delivery = settings.Delivery with { Telegram = new TelegramTargetSettings("https://api.telegram.org", SecretRef.TelegramBotToken, "-1001", 50_000_000, 2, 0, "{part}", false) } };
        var session = new Session("s", "t", "u", "/d", At) { Segments = [new SegmentInfo(1, "/d/a001-00000.ts", TimeSpan.FromSeconds(2), 10, false)], Parts = [Part], Uploads = [new Upload(3, "telegram", "-1001/7")], FirstEvent = 7 };
        var done = new SessionSummary("d", "Yesterday", At.AddDays(-1), At.AddDays(-1).AddHours(2), At.AddDays(-1).AddHours(3), 3600, 7_000_000_000, TimeSpan.FromHours(2),
            [Part], [new Upload(3, "archive", "/archive/demo/part-03.mp4")]) { FilesDeleted = true };
        return
        [
            new SessionStarted("s", "Evening", "https://cdn/live.m3u8", "/rec/demo/s", At),
            new RecordingAttemptStarted("s", 1000, At),
            new SegmentRecorded("s", 2, "/rec/demo/s/a002-00003.ts", TimeSpan.FromSeconds(10.5), 1234, true, At),
            new SegmentDiscarded("s", "/rec/demo/s/a002-00004.ts", "unplayable", At),
            new RecordingAttemptEnded("s", 2, "Failed", "exit 1", At),
            new RecordingGap("s", At, At.AddSeconds(3), "ffmpeg failed"),
            new StreamDropped("s", "the stream ended", At),
            new StreamResumed("s", At),
            new Engine.Channel.TitleChanged("s", "Later", At),
            new SessionEnded("s", "grace", At),
            new DiskSpaceLow(1, 2, At),
            new DiskSpaceRecovered(3, At),
            new ChannelPaused(At),
            new ChannelResumed(At),
            new SegmentSkipped("s", "/p", "too short", At),
            new PartsPlanned("s", [Part, Part with { Number = 4, ThumbnailPath = null }], At),
            new PartUploaded("s", 3, "telegram", "-1001/7", At),
            new SessionCompleted("s", true, At),
            new LocalFilesDeleted("s", 99, At),
            new SessionFailed("s", "Forbidden", At),
            new StatusMessagePosted("s", "77", At),
            new SessionRetried("s", At),
            new WaitingMessagePosted("41", "Premiere", At.AddHours(3), At),
            new WaitingMessageExpired("41", At),
            new CompressedCopyMade("s", new PartInfo(0, "/r/s/parts/compressed.mp4", 1_000_000, TimeSpan.FromMinutes(3), 1280, 720, "/r/s/parts/part-01.jpg"), At),
            new CompressionSkipped("s", "too long", At),
            new DiscussionCommentPosted("s", "-1002/77", At),
            new AlbumUploaded("s", [1, 2, 3], "telegram", ["-100/7", "-100/8", "-100/9"], At),
            new PartReplanned("s", 3, [Part, Part with { Number = 4 }], At),
            new MonitorFailing("yt-dlp is not installed", 3, At),
            new MonitorRecovered(At),
            new BroadcastSkipped("Rerun: yesterday", "its title 'Rerun: yesterday' matches title-exclude /rerun/", At),
            new SessionPinned("s", At),
            new SessionUnpinned("s", At),
            new SessionPurged("s", 1048576, "it ended 31 days ago, longer than max-age (30 days)", At),
            new HookStarted("session-ended-42", "session-ended", "s", 1,
                System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("ACTORRECORDER_SESSION", "s")]), At),
            new HookFinished("session-ended-42", "session-ended", 1, "exited with 1", At),
            new PinSession("s", true),
            new PersistedState { Mode = ChannelMode.Grace, Paused = true, Current = session, Processing = [session with { Id = "p", FailureReason = "x" }], Cleanups = [new Cleanup("c", "/d", ["/d/f"])], SessionsStarted = 3, SessionsCompleted = 1, Events = 42, History = [done] },
            new ConfigureChannel(settings),
            new ChannelNotConfigured(),
            new GetChannelSettings("demo"),
            new StateChannels("rec-1:4053", [settings, settings with { Id = "other" }], ["gone"]),
            new ChannelList(7, [settings]),
            new GetChannelList(),
            new ChannelsStated(["demo"], [], ["gone"], new ChannelList(8, [settings])),
            new ChannelListEdited("rec-1:4053", new Dictionary<string, string> { ["demo"] = "ab12" }, ["gone"], [settings], ["gone"]),
            new ChannelListSnapshot([settings], [new OriginStatement("rec-1:4053", new Dictionary<string, string> { ["demo"] = "ab12" }, [])]),
            new PauseChannel(),
            new ResumeChannel(),
            new StartRecordingCommand(),
            new StopRecordingCommand(),
            new SplitSessionCommand(),
            new ShutdownChannel(),
            new RetireChannel(),
            new RetryFailedSessions(),
            new GetChannelStatus(),
            new ChannelListCompacted(),
            new GetBusyShards(),
            new BusyShards(["12", "7"]),
            new GetDatabaseContact(),
            new DatabaseContact(true),
            new GetChannelRecordings(),
            new ChannelRecordings("demo", session, [session with { Id = "p", FailureReason = "x" }], [done]),
            new ChannelStatus("demo", ChannelMode.Recording, Lifecycle.Active, "s", "t", 3, 10, 5, 2, 4242, false, false, ["p"], "/rec/demo/s", At, true,
                "akka.tcp://actorrecorder@rec-1:4053"),
        ];
    }

    [Fact]
    public void Every_message_type_must_have_a_sample_and_a_manifest()
    {
        var types = typeof(IRecorderMessage).Assembly.GetTypes()
            .Where(t => typeof(IRecorderMessage).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false }).ToHashSet();
        Assert.Equal(types.OrderBy(t => t.Name).Select(t => t.Name), Samples().Select(s => s.GetType()).Distinct().OrderBy(t => t.Name).Select(t => t.Name));
        Assert.All(types, t => Assert.NotNull(RecorderMessages.Catalog.ManifestOf(t)));
    }

    [Fact]
    public void Every_message_must_go_through_our_serializer_and_come_back_equal()
    {
        foreach (var sample in Samples())
        {
            var serializer = Sys.Serialization.FindSerializerFor(sample);
            Assert.IsType<RecorderSerializer>(serializer);
            var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, sample);
            Assert.DoesNotContain(sample.GetType().Name, manifest, StringComparison.Ordinal); // a stable name, not the CLR type
            var back = Sys.Serialization.Deserialize(serializer.ToBinary(sample), serializer.Identifier, manifest);
            Assert.Equal(Json(sample), Json(back));
        }
    }

    /// <summary>
    /// Settings read from a configuration that sets a bot token: every message that carries them (sent to a channel's
    /// node, stated to the cluster's list, journaled by it) holds the token's reference, never the token, in its payload
    /// and in its text; a node resolves the reference from its own configuration.
    /// </summary>
    [Fact]
    public void Secrets_must_never_cross_nodes_nor_reach_the_journal_only_their_references()
    {
        const string token = "123456:AAH-very-secret-token";
        var node = EngineSettings.Load(Tests.Settings.ConfigText.Parse($$"""
            actor-recorder.upload { targets = [telegram], telegram { bot-token = "{{token}}", chat-id = "-1001" } }
            actor-recorder.channels = [ { id = a, url = "https://x.example/a.m3u8" } ]
            """));
        var settings = node.Channels.Single();
        var list = new ChannelList(3, [settings]);
        IRecorderMessage[] carrying =
        [
            new ConfigureChannel(settings),
            new StateChannels("node-1", [settings], []),
            list,
            new ChannelsStated(["a"], [], [], list),
            new ChannelListEdited("node-1", new Dictionary<string, string> { ["a"] = "digest" }, [], [settings], []),
            new ChannelListSnapshot([settings], [new OriginStatement("node-1", new Dictionary<string, string> { ["a"] = "digest" }, [])]),
        ];

        Assert.Equal(token, node.Secrets.Find(SecretRef.TelegramBotToken));
        foreach (var message in carrying)
        {
            var payload = Json(message);
            Assert.DoesNotContain("very-secret", payload, StringComparison.Ordinal);
            Assert.DoesNotContain("very-secret", message.ToString(), StringComparison.Ordinal);
            Assert.Contains($"\"BotToken\":\"{SecretRef.TelegramBotToken.Key}\"", payload, StringComparison.Ordinal);
            var back = RecorderMessages.Catalog.Deserialize(RecorderMessages.Catalog.ManifestOf(message.GetType())!, System.Text.Encoding.UTF8.GetBytes(payload));
            Assert.Equal(payload, Json(back));
        }
        Assert.DoesNotContain("very-secret", node.Secrets.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Versions before references wrote the token itself: it reads as the reference, and the token is dropped.</summary>
    [Fact]
    public void A_token_written_by_an_earlier_version_must_read_as_its_reference()
    {
        var message = (ConfigureChannel)Samples().Single(s => s is ConfigureChannel);
        var legacy = Json(message).Replace($"\"{SecretRef.TelegramBotToken.Key}\"", "\"123456:old-token\"", StringComparison.Ordinal);
        Assert.Contains("123456:old-token", legacy, StringComparison.Ordinal);

        var read = (ConfigureChannel)RecorderMessages.Catalog.Deserialize("channel.configure.v1", System.Text.Encoding.UTF8.GetBytes(legacy));

        Assert.Equal(Json(message), Json(read));
    }

    private static string Json(object value) => System.Text.Encoding.UTF8.GetString(RecorderMessages.Catalog.Serialize(value).Payload);
}
