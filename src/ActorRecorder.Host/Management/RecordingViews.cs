using ActorRecorder.Engine.Channel;

namespace ActorRecorder.Host.Management;

/// <summary>The recordings view of a channel, from its own read model (<see cref="ChannelRecordings"/>): no journal is read.</summary>
internal static class RecordingViews
{
    public static IEnumerable<RecordingView> Of(ChannelRecordings recordings)
    {
        var channel = recordings.ChannelId;
        foreach (var done in recordings.History)
        {
            yield return new RecordingView(channel, done.Id, done.Title, done.StartedAt, done.EndedAt, "completed", done.Segments, done.Bytes,
                done.Duration.TotalSeconds, null, done.FilesDeleted, Parts(done.Parts, done.Uploads))
            {
                Pinned = recordings.Pinned.Contains(done.Id),
                PurgeReason = done.PurgeReason,
            };
        }
        foreach (var session in recordings.Processing)
        {
            yield return Of(channel, session, session.FailureReason is null ? "delivering" : "failed") with { Pinned = recordings.Pinned.Contains(session.Id) };
        }
        if (recordings.Current is { } current)
        {
            yield return Of(channel, current, "recording") with { Pinned = recordings.Pinned.Contains(current.Id) };
        }
    }

    private static RecordingView Of(string channel, Session session, string state) => new(
        channel, session.Id, session.Title, session.StartedAt, session.EndedAt, state, session.Segments.Count, session.Bytes,
        session.Duration.TotalSeconds, session.FailureReason, FilesDeleted: false, Parts(session.Parts ?? [], session.Uploads));

    private static List<PartView> Parts(IEnumerable<PartInfo> parts, IReadOnlyList<Upload> uploads) =>
        parts.Select(p => new PartView(p.Number, p.Path, p.Bytes, p.Duration.TotalSeconds,
            uploads.Where(u => u.Part == p.Number).Select(u => new UploadView(u.Target, u.Location)).ToList())).ToList();
}
