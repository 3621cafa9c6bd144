using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Engine.Tests.Channel;

/// <summary>
/// Retention's rules: only delivered, unpinned sessions, oldest first, one at a time, each journaled; a low disk with
/// <c>min-free-disk-action = purge</c> purges before recording is held, and holds it once nothing is left to purge.
/// </summary>
public sealed class RetentionRuleSpecs
{
    private const long MiB = 1 << 20;

    /// <summary>Three sessions delivered a day apart (s1 oldest), each 10 MiB, then one more ended but not delivered yet (s4).</summary>
    private static IEnumerable<IChannelEvent> History()
    {
        var at = ChannelScript.Epoch - TimeSpan.FromDays(3);
        for (var i = 1; i <= 4; i++)
        {
            var id = $"s{i}";
            yield return new SessionStarted(id, $"Stream {i}", "http://cdn/live.m3u8", $"/rec/demo/{id}", at);
            yield return new SegmentRecorded(id, 1, $"/rec/demo/{id}/a001-00000.ts", TimeSpan.FromMinutes(10), 10 * MiB, false, at + TimeSpan.FromMinutes(10));
            yield return new SessionEnded(id, "the stream ended", at + TimeSpan.FromMinutes(11));
            if (i < 4)
            {
                yield return new SessionCompleted(id, DeleteLocalFiles: false, at + TimeSpan.FromMinutes(12));
            }
            at += TimeSpan.FromDays(1);
        }
    }

    private static ChannelScript Script(RetentionSettings retention, long minFreeDisk = 0)
    {
        var settings = ChannelScript.DefaultSettings(minFreeDisk: minFreeDisk) with { Retention = retention };
        var script = new ChannelScript(settings, History());
        script.Give(new ConfigureChannel(settings));
        return script;
    }

    private static DeleteFiles Purge(ChannelScript script) => script.Last.Effects.OfType<DeleteFiles>().Single();

    [Fact]
    public void Max_age_must_delete_the_oldest_delivered_sessions_one_at_a_time_and_journal_each()
    {
        var script = Script(new RetentionSettings(TimeSpan.FromDays(1.5), 0, false));
        script.Give(new DiskMeasured(long.MaxValue));
        Assert.Equal(("s1", "/rec/demo/s1", "/rec/demo/s1/a001-00000.ts"), (Purge(script).SessionId, Purge(script).Directory, Purge(script).Files.Single()));
        script.Give(new DiskMeasured(long.MaxValue));
        Assert.Empty(script.Last.Effects.OfType<DeleteFiles>()); // one at a time

        script.Give(new CleanupDone("s1", 10 * MiB));
        var purged = Assert.Single(script.Events<SessionPurged>());
        Assert.Equal(("s1", 10 * MiB), (purged.SessionId, purged.Bytes));
        Assert.StartsWith("it ended 3 days ago, longer than max-age (1.5 days)", purged.Reason);
        Assert.Equal(purged.Reason, script.P.History.Single(h => h.Id == "s1").PurgeReason);

        script.Give(new DiskMeasured(long.MaxValue));
        Assert.Equal("s2", Purge(script).SessionId); // 2 days old
        script.Give(new CleanupDone("s2", 10 * MiB));
        script.Give(new DiskMeasured(long.MaxValue));
        Assert.Empty(script.Last.Effects.OfType<DeleteFiles>()); // s3 is a day old; s4 is not delivered
    }

    [Fact]
    public void A_pinned_session_must_never_be_deleted_and_unpinning_must_leave_it_to_retention()
    {
        var script = Script(new RetentionSettings(TimeSpan.FromHours(1), 0, false));
        script.Give(new PinSession("s1", true));
        script.Give(new PinSession("s1", true));
        Assert.Single(script.Events<SessionPinned>());
        script.Give(new PinSession("nope", true));
        Assert.Single(script.Events<SessionPinned>()); // an unknown session is ignored

        script.Give(new DiskMeasured(long.MaxValue));
        Assert.Equal("s2", Purge(script).SessionId);
        script.Give(new CleanupDone("s2", 10 * MiB));
        script.Give(new DiskMeasured(long.MaxValue));
        Assert.Equal("s3", Purge(script).SessionId);
        script.Give(new CleanupDone("s3", 10 * MiB));
        script.Give(new DiskMeasured(long.MaxValue));
        Assert.Empty(script.Last.Effects.OfType<DeleteFiles>());

        script.Give(new PinSession("s1", false));
        script.Give(new DiskMeasured(long.MaxValue));
        Assert.Equal("s1", Purge(script).SessionId);
        Assert.DoesNotContain(script.Events<SessionPurged>(), p => p.SessionId == "s4");
    }

    [Fact]
    public void Max_size_must_count_every_session_and_delete_delivered_ones_until_they_fit()
    {
        var script = Script(new RetentionSettings(TimeSpan.Zero, 25 * MiB, false));
        script.Give(new DiskMeasured(long.MaxValue));
        Assert.Equal("s1", Purge(script).SessionId); // 40 MiB kept
        script.Give(new CleanupDone("s1", 10 * MiB));
        script.Give(new DiskMeasured(long.MaxValue));
        Assert.Equal("s2", Purge(script).SessionId); // 30 MiB
        script.Give(new CleanupDone("s2", 10 * MiB));
        script.Give(new DiskMeasured(long.MaxValue));
        Assert.Empty(script.Last.Effects.OfType<DeleteFiles>()); // 20 MiB: fits
        Assert.Contains("more than max-size (26214400 bytes)", script.Events<SessionPurged>().First().Reason);
    }

    [Fact]
    public void A_low_disk_must_purge_before_recording_is_held_and_hold_it_once_nothing_is_left()
    {
        var script = Script(new RetentionSettings(TimeSpan.Zero, 0, true), minFreeDisk: 100 * MiB);
        script.Give(new DiskMeasured(long.MaxValue));
        script.Give(ChannelScript.Live());
        Assert.NotNull(script.R.Recorder);

        foreach (var id in new[] { "s1", "s2", "s3" })
        {
            script.Give(new DiskMeasured(50 * MiB));
            Assert.Equal(id, Purge(script).SessionId);
            Assert.DoesNotContain(script.Last.Effects, e => e is StopRecorder); // recording goes on while there is something to purge
            script.Give(new CleanupDone(id, 10 * MiB));
        }
        Assert.Empty(script.Events<DiskSpaceLow>());
        script.Give(new DiskMeasured(50 * MiB));
        Assert.Single(script.Events<DiskSpaceLow>()); // nothing delivered is left: recording is held
        Assert.NotNull(script.Effect<StopRecorder>());
        Assert.Equal(3, script.Events<SessionPurged>().Count());
    }
}
