using System.Text.Json;
using ActorRecorder.Engine.Channel;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.InProcess;

/// <summary>
/// Hooks on a real node with real scripts: one that writes what it was told and exits 0 (after each segment), one that
/// exits 1 (after the session), one that hangs (after delivery, killed at its timeout). Recording and delivery go on
/// regardless; each exit is journaled and each line of output is in the node's log.
/// </summary>
public sealed class HookSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact(Timeout = 150_000)]
    public async Task Hooks_must_run_with_the_facts_report_their_exit_and_never_hold_recording_or_delivery()
    {
        var hooks = Path.Combine(Root, "hooks");
        Directory.CreateDirectory(hooks);
        var told = Path.Combine(Root, "told");
        Directory.CreateDirectory(told);
        Script(Path.Combine(hooks, "segment.sh"), $$"""
            echo "segment $ACTORRECORDER_SEGMENT of $ACTORRECORDER_CHANNEL"
            printf '%s' "$ACTORRECORDER_FILES" > "{{told}}/$(basename "$ACTORRECORDER_SEGMENT").files"
            printf '%s' "$1" > "{{told}}/$(basename "$ACTORRECORDER_SEGMENT").arg"
            """);
        Script(Path.Combine(hooks, "ended.sh"), """
            echo "cannot reach the NAS" >&2
            exit 1
            """);
        Script(Path.Combine(hooks, "hang.sh"), "echo waiting forever; exec sleep 600");
        await StartNodeAsync(grace: "1s", extra: $$"""
            upload { targets = [archive], archive.path = archive }
            hooks {
              segment-finished = [ "{{hooks}}/segment.sh", "a b; $(not a shell)" ]
              session-ended = [ "{{hooks}}/ended.sh" ]
              session-delivered = [ "{{hooks}}/hang.sh" ]
              timeout = 4s
            }
            """);

        var started = await RecordABroadcast();
        var hung = await Next<HookFinished>(h => h.Hook == "session-delivered", TimeSpan.FromSeconds(90)); // the last of them
        var journal = await JournalAsync();
        var completed = journal.OfType<SessionCompleted>().Single(c => c.SessionId == started.SessionId);
        var ended = journal.OfType<HookFinished>().Single(h => h.Hook == "session-ended");

        Assert.Equal((int?)1, ended.ExitCode);
        Assert.Null(hung.ExitCode);
        Assert.Equal("timed out after 4 s: killed", hung.Outcome);
        Assert.True(hung.At - completed.At >= TimeSpan.FromSeconds(4), "the hanging hook ran to its timeout");
        var segmentHooks = journal.OfType<HookStarted>().Where(h => h.Hook == "segment-finished").ToList();
        Assert.True(segmentHooks.Count >= 2, $"a hook per segment: {segmentHooks.Count}");
        Assert.All(journal.OfType<HookFinished>().Where(h => h.Hook == "segment-finished"), h => Assert.Equal((int?)0, h.ExitCode));
        foreach (var segment in journal.OfType<SegmentRecorded>())
        {
            var name = Path.GetFileName(segment.Path);
            await NodeWorkspace.Eventually(() => Task.FromResult(File.Exists(Path.Combine(told, name + ".arg"))), () => $"the hook of {name} to write what it was told", Patience);
            Assert.Equal([segment.Path], JsonSerializer.Deserialize<string[]>(await File.ReadAllTextAsync(Path.Combine(told, name + ".files")))!);
            Assert.Equal("a b; $(not a shell)", await File.ReadAllTextAsync(Path.Combine(told, name + ".arg"))); // one argument, no shell
        }
        Assert.Contains(LogLines, line => line.Contains("hook session-ended", StringComparison.Ordinal) && line.Contains("cannot reach the NAS", StringComparison.Ordinal));
        Assert.Contains(LogLines, line => line.Contains("hook segment-finished", StringComparison.Ordinal) && line.Contains("segment /", StringComparison.Ordinal));

        // Recording was not held by the failing or the hanging hook: the next broadcast records at once.
        var next = await RecordABroadcast();
        Assert.NotEqual(started.SessionId, next.SessionId);
    }

    private static void Script(string path, string body)
    {
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
