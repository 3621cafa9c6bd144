using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Serialization;

namespace ActorRecorder.Host.Management;

/// <summary>
/// Reads a channel's journal through Akka.Persistence.Query (the SQL read journal) for the events endpoint: a range of
/// sequence numbers, never the whole history, and a request that is cancelled (its client went away) stops its query.
/// </summary>
public sealed class JournalReader(ActorSystem system)
{
    private readonly Lazy<SqlReadJournal> _journal = new(() => PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier));
    private readonly Lazy<IMaterializer> _materializer = new(() => system.Materializer());

    /// <summary>One row of the journal: an event, or a payload this version cannot read (<see cref="UnreadablePayload"/>).</summary>
    public sealed record Entry(long SequenceNr, object Event);

    /// <summary>Up to <paramref name="limit"/> events from sequence number <paramref name="from"/> on.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the query stopped.</exception>
    public async Task<IReadOnlyList<Entry>> EventsAsync(string channelId, long from, int limit, CancellationToken cancellationToken)
    {
        var (kill, events) = _journal.Value.CurrentEventsByPersistenceId("channel-" + channelId, from, long.MaxValue)
            .Where(envelope => envelope.Event is IChannelEvent or UnreadablePayload)
            .Select(envelope => new Entry(envelope.SequenceNr, envelope.Event))
            .Take(limit)
            .ViaMaterialized(KillSwitches.Single<Entry>(), Keep.Right)
            .ToMaterialized(Sink.Seq<Entry>(), Keep.Both)
            .Run(_materializer.Value);
        await using var stop = cancellationToken.Register(() => kill.Abort(new OperationCanceledException(cancellationToken)));
        try
        {
            return await events.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    /// <summary>The last <paramref name="limit"/> events of a channel whose last event is <paramref name="lastSequenceNr"/>.</summary>
    public Task<IReadOnlyList<Entry>> TailAsync(string channelId, long lastSequenceNr, int limit, CancellationToken cancellationToken) =>
        EventsAsync(channelId, Math.Max(1, lastSequenceNr - limit + 1), limit, cancellationToken);
}
