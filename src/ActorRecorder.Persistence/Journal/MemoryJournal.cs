using System.Runtime.CompilerServices;

namespace ActorRecorder.Persistence.Journal;

/// <summary>
/// A journal in memory, for tests and demos: the contract of <see cref="IJournal"/> with nothing durable.
/// One lock guards everything, so every write is atomic and immediately visible.
/// </summary>
public sealed class MemoryJournal : IJournal
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Stream> _streams = new(StringComparer.Ordinal);
    private readonly List<JournalEvent> _all = [];
    private long _ordering;

    public Task<IReadOnlyList<Exception?>> WriteMessagesAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        lock (_gate)
        {
            // Checked before anything is stored: a conflict fails the whole call and stores nothing.
            var inThisCall = new HashSet<(string, long)>();
            foreach (var write in writes)
            {
                var stream = _streams.GetValueOrDefault(write.PersistenceId);
                foreach (var repr in write.Payload)
                {
                    if ((stream is not null && stream.Contains(repr.SequenceNr)) || !inThisCall.Add((repr.PersistenceId, repr.SequenceNr)))
                    {
                        return Task.FromException<IReadOnlyList<Exception?>>(new JournalConflictException(repr.PersistenceId, repr.SequenceNr));
                    }
                }
            }
            foreach (var write in writes)
            {
                if (!_streams.TryGetValue(write.PersistenceId, out var stream))
                {
                    stream = new Stream();
                    _streams[write.PersistenceId] = stream;
                }
                foreach (var repr in write.Payload)
                {
                    var stored = new JournalEvent(++_ordering, repr);
                    stream.Events[repr.SequenceNr] = stored;
                    stream.Highest = Math.Max(stream.Highest, repr.SequenceNr);
                    _all.Add(stored);
                }
            }
        }
        return Task.FromResult<IReadOnlyList<Exception?>>(new Exception?[writes.Count]);
    }

    public Task ReplayMessagesAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<PersistentRepr> recoveryCallback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recoveryCallback);
        foreach (var stored in Range(persistenceId, fromSequenceNr, toSequenceNr, max))
        {
            cancellationToken.ThrowIfCancellationRequested();
            recoveryCallback(stored.Event);
        }
        return Task.CompletedTask;
    }

    public Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_streams.TryGetValue(persistenceId, out var stream) ? stream.Highest : 0L);
        }
    }

    public Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_streams.TryGetValue(persistenceId, out var stream))
            {
                foreach (var sequenceNr in stream.Events.Keys.Where(s => s <= toSequenceNr).ToList())
                {
                    _all.Remove(stream.Events[sequenceNr]);
                    stream.Events.Remove(sequenceNr);
                }
            }
        }
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<JournalEvent> CurrentEventsByPersistenceIdAsync(string persistenceId, long fromSequenceNr,
        long toSequenceNr, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var stored in Range(persistenceId, fromSequenceNr, toSequenceNr, long.MaxValue))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return stored;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public async IAsyncEnumerable<JournalEvent> CurrentEventsByTagAsync(string tag, long afterOrdering,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<JournalEvent> matching;
        lock (_gate)
        {
            matching = _all.Where(e => e.Ordering > afterOrdering && e.Event.Tags.Contains(tag, StringComparer.Ordinal)).ToList();
        }
        foreach (var stored in matching)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return stored;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private List<JournalEvent> Range(string persistenceId, long fromSequenceNr, long toSequenceNr, long max)
    {
        lock (_gate)
        {
            if (!_streams.TryGetValue(persistenceId, out var stream) || max <= 0)
            {
                return [];
            }
            return stream.Events
                .Where(pair => pair.Key >= fromSequenceNr && pair.Key <= toSequenceNr)
                .Select(pair => pair.Value)
                .Take((int)Math.Min(max, int.MaxValue))
                .ToList();
        }
    }

    private sealed class Stream
    {
        public SortedDictionary<long, JournalEvent> Events { get; } = [];

        public long Highest { get; set; }

        /// <summary>Taken: stored, or the highest one (kept, as the SQL journals keep its row, after a delete).</summary>
        public bool Contains(long sequenceNr) => sequenceNr == Highest || Events.ContainsKey(sequenceNr);
    }
}
