using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using ActorRecorder.Engine.Channel;

namespace ActorRecorder.Host.Management;

/// <summary>
/// Reads channels' journals through Akka.Persistence.Query (the SQL read journal): the events endpoint and the
/// recordings, which are the channels' history folded the way the channel itself folds it.
/// </summary>
public sealed class JournalReader(ActorSystem system)
{
    private readonly Lazy<SqlReadJournal> _journal = new(() => PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier));
    private readonly Lazy<IMaterializer> _materializer = new(() => system.Materializer());

    public sealed record Entry(long SequenceNr, IChannelEvent Event);

    /// <summary>Up to <paramref name="limit"/> events from sequence number <paramref name="from"/> on.</summary>
    public async Task<IReadOnlyList<Entry>> EventsAsync(string channelId, long from, int limit, CancellationToken cancellationToken) =>
        await Events(channelId, from).Take(limit).RunWith(Sink.Seq<Entry>(), _materializer.Value).WaitAsync(cancellationToken);

    /// <summary>The last <paramref name="limit"/> events.</summary>
    public async Task<IReadOnlyList<Entry>> TailAsync(string channelId, int limit, CancellationToken cancellationToken)
    {
        var tail = new Queue<Entry>(limit + 1);
        await Events(channelId, 1).RunForeach(entry =>
        {
            tail.Enqueue(entry);
            if (tail.Count > limit)
            {
                tail.Dequeue();
            }
        }, _materializer.Value).WaitAsync(cancellationToken);
        return [.. tail];
    }

    /// <summary>Every session of the channel in its journal, oldest first, with its parts and where they were delivered.</summary>
    public async Task<IReadOnlyList<RecordingView>> RecordingsAsync(string channelId, CancellationToken cancellationToken)
    {
        var state = new PersistedState();
        var sessions = new Dictionary<string, (Session Session, string State)>(StringComparer.Ordinal);
        var order = new List<string>();
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        await Events(channelId, 1).RunForeach(entry =>
        {
            state = state.Apply(entry.Event);
            foreach (var session in state.Processing.Append(state.Current).OfType<Session>())
            {
                if (!sessions.ContainsKey(session.Id))
                {
                    order.Add(session.Id);
                }
                sessions[session.Id] = (session, session.EndedAt is null ? "recording" : session.FailureReason is null ? "delivering" : "failed");
            }
            switch (entry.Event)
            {
                case SessionCompleted completed when sessions.TryGetValue(completed.SessionId, out var done):
                    sessions[completed.SessionId] = (done.Session, "completed");
                    break;
                case LocalFilesDeleted files:
                    deleted.Add(files.SessionId);
                    break;
            }
        }, _materializer.Value).WaitAsync(cancellationToken);
        return order.Select(id => View(channelId, sessions[id].Session, sessions[id].State, deleted.Contains(id))).ToList();
    }

    private static RecordingView View(string channelId, Session session, string state, bool filesDeleted) => new(
        channelId, session.Id, session.Title, session.StartedAt, session.EndedAt, state, session.Segments.Count, session.Bytes,
        session.Duration.TotalSeconds, session.FailureReason, filesDeleted,
        (session.Parts ?? []).Select(p => new PartView(p.Number, p.Path, p.Bytes, p.Duration.TotalSeconds,
            session.Uploads.Where(u => u.Part == p.Number).Select(u => new UploadView(u.Target, u.Location)).ToList())).ToList());

    private Source<Entry, Akka.NotUsed> Events(string channelId, long from) =>
        _journal.Value.CurrentEventsByPersistenceId("channel-" + channelId, from, long.MaxValue)
            .Where(envelope => envelope.Event is IChannelEvent)
            .Select(envelope => new Entry(envelope.SequenceNr, (IChannelEvent)envelope.Event));
}
