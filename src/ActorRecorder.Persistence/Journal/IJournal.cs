namespace ActorRecorder.Persistence.Journal;

/// <summary>
/// The event journal: an append-only log per persistence id, plus read queries across ids.
/// Implementations are thread-safe; every method may be called concurrently for different ids.
/// Cancellation only abandons waiting: a write that reached the database may still commit.
/// </summary>
public interface IJournal
{
    /// <summary>
    /// Stores <paramref name="writes"/>, all of one persistent actor, in order. Each
    /// <see cref="AtomicWrite"/> is atomic: all of its events are stored or none. Optimistic
    /// concurrency: an event whose (persistence id, sequence nr) is already stored makes its write fail.
    /// </summary>
    /// <returns>
    /// One entry per write, in order: null when it was stored, or the reason it was <em>rejected</em>
    /// (not stored, e.g. the journal cannot take that payload; the actor keeps running). The journal
    /// stays usable after a rejection.
    /// </returns>
    /// <exception cref="Exception">
    /// The task faults when the writes <em>failed</em> (database down, connection lost, constraint
    /// violation, a write guard refused): then none of them, or not all, may be stored, and the
    /// persistent actor stops. A failure of one caller's writes never fails another caller's.
    /// </exception>
    Task<IReadOnlyList<Exception?>> WriteMessagesAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="recoveryCallback"/> for the stored, not deleted events of
    /// <paramref name="persistenceId"/> with fromSequenceNr ≤ sequence nr ≤ toSequenceNr, in sequence
    /// order, at most <paramref name="max"/> of them, and completes after the last one. The callback runs
    /// on the journal's thread, one event at a time. Events written after the call started may or may not be seen.
    /// </summary>
    /// <exception cref="Exception">The task faults when reading fails; events already passed to the callback stay valid.</exception>
    Task ReplayMessagesAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<PersistentRepr> recoveryCallback, CancellationToken cancellationToken = default);

    /// <summary>
    /// The highest sequence number ever stored for <paramref name="persistenceId"/> (0 when none),
    /// also after its events were deleted. Waits for writes of that id this journal is still
    /// performing, so a recovering actor never reuses a sequence number. <paramref name="fromSequenceNr"/>
    /// is a hint: the answer is never below it when events from there exist.
    /// </summary>
    Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the events of <paramref name="persistenceId"/> up to and including
    /// <paramref name="toSequenceNr"/> (atomically); they are never replayed again, and the highest
    /// sequence number is kept.
    /// </summary>
    Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default);

    /// <summary>
    /// The events of <paramref name="persistenceId"/> stored now within the range, in sequence order, with
    /// their ordering (a finite query: it ends at the last event stored when it reached it).
    /// </summary>
    IAsyncEnumerable<JournalEvent> CurrentEventsByPersistenceIdAsync(string persistenceId, long fromSequenceNr,
        long toSequenceNr, CancellationToken cancellationToken = default);

    /// <summary>
    /// The events tagged <paramref name="tag"/> with ordering greater than <paramref name="afterOrdering"/>
    /// (0: from the start), in ordering order, as stored now (a finite query). An event written by a
    /// transaction still open may appear later with an ordering below ones already returned.
    /// </summary>
    IAsyncEnumerable<JournalEvent> CurrentEventsByTagAsync(string tag, long afterOrdering, CancellationToken cancellationToken = default);
}
