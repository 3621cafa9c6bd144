using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using ActorRecorder.Engine.Settings;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Engine.Channel;

/// <summary>
/// Hooks (<c>hooks</c>): a decision that journals a milestone (a segment, a session's end, a part delivered, a session
/// delivered) journals the hook it starts too, with the facts it gets, before the command runs; the exit journals
/// <see cref="HookFinished"/>. A node that stops during a hook runs it again once after its restart; during that
/// second run too, and it is given up (at least once, at most twice).
/// </summary>
public static partial class ChannelDecider
{
    /// <summary>Starts the hooks of the milestones this decision journaled (those from index <paramref name="from"/> on).</summary>
    private static void StartHooks(DecisionBuilder d, int from)
    {
        if (d.Settings?.Hooks is not { Any: true } hooks)
        {
            return;
        }
        var milestones = d.Emitted.Skip(from).SelectMany(Milestones).ToList();
        foreach (var (hook, sessionId, facts) in milestones)
        {
            if (hooks.For(hook).Count == 0)
            {
                continue;
            }
            var environment = SessionFacts(d, sessionId).SetItems(facts)
                .SetItem("ACTORRECORDER_HOOK", hook)
                .SetItem("ACTORRECORDER_CHANNEL", d.ChannelId);
            var id = string.Create(CultureInfo.InvariantCulture, $"{hook}-{d.P.Events + 1}"); // the sequence number of its HookStarted: unique
            d.Emit(new HookStarted(id, hook, sessionId, 1, environment, d.Now));
            d.Do(new RunHook(id, hook, hooks.For(hook), environment, hooks.Timeout));
        }
    }

    /// <summary>The hooks an event is the milestone of, with the facts particular to it.</summary>
    private static IEnumerable<(string Hook, string SessionId, IEnumerable<KeyValuePair<string, string>> Facts)> Milestones(IChannelEvent @event) => @event switch
    {
        SegmentRecorded s => [(HookSettings.SegmentFinishedHook, s.SessionId, [new("ACTORRECORDER_SEGMENT", s.Path), new("ACTORRECORDER_FILES", Json([s.Path]))])],
        SessionEnded s => [(HookSettings.SessionEndedHook, s.SessionId, [new("ACTORRECORDER_REASON", s.Reason)])],
        PartUploaded p => [(HookSettings.PartDeliveredHook, p.SessionId, PartFacts(p.Part, p.Target, p.Location))],
        AlbumUploaded a => a.Parts.Zip(a.Locations).Select(p => (HookSettings.PartDeliveredHook, a.SessionId, PartFacts(p.First, a.Target, p.Second))),
        SessionCompleted s => [(HookSettings.SessionDeliveredHook, s.SessionId, [])],
        _ => [],
    };

    private static IEnumerable<KeyValuePair<string, string>> PartFacts(int part, string target, string location) =>
    [
        new("ACTORRECORDER_PART", part.ToString(CultureInfo.InvariantCulture)), new("ACTORRECORDER_TARGET", target), new("ACTORRECORDER_LOCATION", location),
    ];

    /// <summary>What every hook of a session is told: its id, title, folder, start and files (a part's hook: that part's file).</summary>
    private static ImmutableSortedDictionary<string, string> SessionFacts(DecisionBuilder d, string sessionId)
    {
        var facts = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        facts["ACTORRECORDER_SESSION"] = sessionId;
        var session = d.P.Current?.Id == sessionId ? d.P.Current : d.P.Ended(sessionId);
        if (session is not null)
        {
            facts["ACTORRECORDER_TITLE"] = session.Title ?? "";
            facts["ACTORRECORDER_DIRECTORY"] = session.Directory;
            facts["ACTORRECORDER_STARTED_AT"] = session.StartedAt.ToString("O", CultureInfo.InvariantCulture);
            facts["ACTORRECORDER_FILES"] = Json(session.Files);
        }
        else if (d.P.History.Find(h => h.Id == sessionId) is { } done)
        {
            facts["ACTORRECORDER_TITLE"] = done.Title ?? "";
            facts["ACTORRECORDER_DIRECTORY"] = done.Directory ?? "";
            facts["ACTORRECORDER_STARTED_AT"] = done.StartedAt.ToString("O", CultureInfo.InvariantCulture);
            facts["ACTORRECORDER_FILES"] = Json(done.Files);
        }
        return facts.ToImmutable();
    }

    /// <summary>A part's hook gets that part's file, not the session's.</summary>
    private static string Json(IEnumerable<string> files) => JsonSerializer.Serialize(files.ToArray());

    private static void HookExited(DecisionBuilder d, HookExited exited)
    {
        if (d.P.PendingHooks.Find(h => h.HookId == exited.HookId) is not { } pending)
        {
            return;
        }
        d.Emit(new HookFinished(pending.HookId, pending.Hook, exited.ExitCode, exited.Outcome, d.Now));
        if (exited.ExitCode != 0)
        {
            d.Do(new Log(LogLevel.Warning, $"hook {pending.Hook} ({pending.HookId}) of session {pending.SessionId}: {exited.Outcome}"));
        }
    }

    /// <summary>After a restart: a hook the last incarnation started and did not see finish runs again, once.</summary>
    private static void RerunHooks(DecisionBuilder d, ChannelSettings settings)
    {
        foreach (var pending in d.P.PendingHooks)
        {
            var command = settings.Hooks.For(pending.Hook);
            if (pending.Run >= 2 || command.Count == 0)
            {
                d.Emit(new HookFinished(pending.HookId, pending.Hook, null, command.Count == 0
                    ? "not run again after the restart: the hook is no longer configured"
                    : "given up: the node stopped during its run and during its run again after a restart", d.Now));
                continue;
            }
            d.Do(new Log(LogLevel.Information, $"hook {pending.Hook} ({pending.HookId}) did not finish before the node stopped: it runs again"));
            d.Emit(new HookStarted(pending.HookId, pending.Hook, pending.SessionId, pending.Run + 1, pending.Environment, d.Now));
            d.Do(new RunHook(pending.HookId, pending.Hook, command, pending.Environment, settings.Hooks.Timeout));
        }
    }
}
