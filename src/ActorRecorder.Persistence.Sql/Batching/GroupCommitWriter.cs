using System.Collections.Concurrent;
using System.Threading.Channels;
using ActorRecorder.Persistence.Journal;

namespace ActorRecorder.Persistence.Sql.Batching;

/// <summary>
/// Group commit: every write call is queued, and one loop drains all that is pending (up to a
/// number of events) into one batch that the provider writes in one transaction. Concurrent writers
/// therefore share transactions (and their fsync), and calls are written in the order they were
/// made, so one actor's writes never overtake each other. The provider completes each call; a call
/// it leaves open, or a batch that throws, fails. When a call fails, the calls of the same
/// persistence id that were already queued behind it fail too, unwritten: otherwise a later event
/// could be stored after a missing one (a gap the actor, stopping on the failure, never sees).
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private readonly Channel<BatchWrite> _queue = Channel.CreateUnbounded<BatchWrite>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
    private readonly ConcurrentDictionary<string, Task> _lastWriteById = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _lastSequenceById = new(StringComparer.Ordinal);

    /// <summary>Ids with a failed call: calls of that id queued up to this sequence fail. Guarded by itself.</summary>
    private readonly Dictionary<string, long> _failedUpTo = new(StringComparer.Ordinal);
    private readonly Func<IReadOnlyList<BatchWrite>, Task> _writeBatch;
    private readonly int _maxEventsPerBatch;
    private readonly Task _loop;
    private long _batches;
    private long _sequence;

    public GroupCommitWriter(Func<IReadOnlyList<BatchWrite>, Task> writeBatch, int maxEventsPerBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEventsPerBatch, 1);
        _writeBatch = writeBatch;
        _maxEventsPerBatch = maxEventsPerBatch;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Batches (transactions) written so far.</summary>
    public long BatchesWritten => Interlocked.Read(ref _batches);

    public Task<IReadOnlyList<Exception?>> EnqueueAsync(IReadOnlyList<AtomicWrite> writes, object? context)
    {
        var call = new BatchWrite(writes, context, Interlocked.Increment(ref _sequence), RecordFailure);
        foreach (var id in call.PersistenceIds)
        {
            _lastWriteById[id] = call.Completion;
            _lastSequenceById[id] = call.Sequence;
        }
        if (!_queue.Writer.TryWrite(call))
        {
            call.Fail(new ObjectDisposedException(nameof(GroupCommitWriter), "The journal is shut down"));
        }
        return call.Completion;
    }

    /// <summary>Completes when the writes of <paramref name="persistenceId"/> queued so far are done (whatever their outcome).</summary>
    public async Task WhenWrittenAsync(string persistenceId)
    {
        if (_lastWriteById.TryGetValue(persistenceId, out var last))
        {
            await ((Task)last).ContinueWith(static _ => { }, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private async Task LoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<BatchWrite>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            var events = 0;
            while (events < _maxEventsPerBatch && reader.TryRead(out var call))
            {
                if (FollowsAFailure(call))
                {
                    call.Fail(new InvalidOperationException("An earlier write of the same persistence id failed; this one was queued behind it"));
                    Forget(call);
                    continue;
                }
                batch.Add(call);
                events += call.EventCount;
            }
            if (batch.Count == 0)
            {
                continue;
            }
            Interlocked.Increment(ref _batches);
            try
            {
                await _writeBatch(batch).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                foreach (var call in batch)
                {
                    call.Fail(ex);
                }
            }
            foreach (var call in batch)
            {
                if (!call.IsCompleted)
                {
                    call.Fail(new InvalidOperationException("The journal left a write without an outcome"));
                }
                Forget(call);
            }
        }
    }

    /// <summary>
    /// Runs as a call fails, before its caller can see it: every call of its ids queued so far was
    /// issued without knowing of the failure, so each of them fails too.
    /// </summary>
    private void RecordFailure(BatchWrite call)
    {
        lock (_failedUpTo)
        {
            foreach (var id in call.PersistenceIds)
            {
                var latest = _lastSequenceById.GetValueOrDefault(id, call.Sequence);
                if (latest > call.Sequence)
                {
                    _failedUpTo[id] = Math.Max(latest, _failedUpTo.GetValueOrDefault(id));
                }
            }
        }
    }

    private bool FollowsAFailure(BatchWrite call)
    {
        lock (_failedUpTo)
        {
            foreach (var id in call.PersistenceIds)
            {
                if (_failedUpTo.TryGetValue(id, out var upTo) && call.Sequence <= upTo)
                {
                    return true;
                }
            }
            return false;
        }
    }

    private void Forget(BatchWrite call)
    {
        lock (_failedUpTo)
        {
            foreach (var id in call.PersistenceIds)
            {
                _lastWriteById.TryRemove(new KeyValuePair<string, Task>(id, call.Completion));
                _lastSequenceById.TryRemove(new KeyValuePair<string, long>(id, call.Sequence));
                if (_failedUpTo.TryGetValue(id, out var upTo) && upTo <= call.Sequence)
                {
                    _failedUpTo.Remove(id);
                }
            }
        }
    }

    /// <summary>Stops taking writes, finishes the ones queued, and ends the loop.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }
}
