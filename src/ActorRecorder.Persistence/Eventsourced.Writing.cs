using ActorRecorder.Actors;
using ActorRecorder.Persistence.Internal;
using ActorRecorder.Persistence.Journal;

namespace ActorRecorder.Persistence;

/// <summary>
/// Persisting: events get their sequence numbers when persisted, are serialized at once, and are
/// handed to the journal in one call when the current message has been handled (one "flush").
/// Outcomes come back in flush order; handlers run in the order their events were persisted.
/// </summary>
public abstract partial class Eventsourced
{
    private readonly List<PendingWrite> _eventBatch = [];
    private readonly Queue<PendingInvocation> _pendingInvocations = new();
    private int _pendingStashingPersistInvocations;
    private long _sequenceNr;
    private long _nextWriteId = 1;
    private long _expectedWriteId = 1;
    private Dictionary<long, (WritesCompleted Message, IActorRef Sender)>? _earlyCompletions;

    /// <summary>
    /// Persists <paramref name="event"/> and runs <paramref name="handler"/> with it once it is durable,
    /// with the command's sender as <c>Sender</c>. Commands wait (stashed) until every such handler ran.
    /// </summary>
    public void Persist<TEvent>(TEvent @event, Action<TEvent> handler) where TEvent : notnull =>
        AddWrite([@event], handler, stashing: true);

    /// <summary>Persists <paramref name="events"/> atomically (all or none) and runs the handler for each, in order.</summary>
    public void PersistAll<TEvent>(IEnumerable<TEvent> events, Action<TEvent> handler) where TEvent : notnull =>
        AddWrite(events.ToList(), handler, stashing: true);

    /// <summary>Like <see cref="Persist{TEvent}"/>, but commands keep flowing while the write is in flight.</summary>
    public void PersistAsync<TEvent>(TEvent @event, Action<TEvent> handler) where TEvent : notnull =>
        AddWrite([@event], handler, stashing: false);

    /// <summary>Like <see cref="PersistAll{TEvent}"/>, but commands keep flowing while the write is in flight.</summary>
    public void PersistAllAsync<TEvent>(IEnumerable<TEvent> events, Action<TEvent> handler) where TEvent : notnull =>
        AddWrite(events.ToList(), handler, stashing: false);

    /// <summary>
    /// Runs <paramref name="handler"/> with <paramref name="event"/> after the handlers of every event
    /// persisted before it, without writing anything (at once when nothing is pending). Does not stash.
    /// </summary>
    public void DeferAsync<TEvent>(TEvent @event, Action<TEvent> handler) where TEvent : notnull
    {
        ThrowIfRecovering(nameof(DeferAsync));
        if (_pendingInvocations.Count == 0)
        {
            handler(@event);
            return;
        }
        _pendingInvocations.Enqueue(new PendingInvocation(@event, e => handler((TEvent)e), Stashing: false, Deferred: true));
    }

    private void AddWrite<TEvent>(IReadOnlyList<TEvent> events, Action<TEvent> handler, bool stashing) where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfRecovering(stashing ? "Persist" : "PersistAsync");
        if (events.Count == 0)
        {
            return;
        }
        var write = new PendingWrite(_sequenceNr + 1, events.Count);
        Action<object> invoke = e => handler((TEvent)e);
        var now = NowMilliseconds;
        foreach (var @event in events)
        {
            var sequenceNr = ++_sequenceNr;
            _pendingInvocations.Enqueue(new PendingInvocation(@event, invoke, stashing, Deferred: false));
            if (stashing)
            {
                _pendingStashingPersistInvocations++;
            }
            if (write.Rejection is null)
            {
                try
                {
                    write.Events.Add(ToRepr(@event, sequenceNr, now));
                }
                catch (Exception ex)
                {
                    // Rejected before reaching the journal: reported in order with the other outcomes.
                    write.Rejection = ex;
                }
            }
        }
        _eventBatch.Add(write);
    }

    private PersistentRepr ToRepr(object @event, long sequenceNr, long now)
    {
        var payload = @event;
        IReadOnlyList<string> tags = [];
        if (@event is Tagged tagged)
        {
            payload = tagged.Payload;
            tags = tagged.Tags;
            foreach (var tag in tags)
            {
                if (string.IsNullOrEmpty(tag) || tag.Contains(';', StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Invalid tag [{tag}]: tags are non-empty and contain no ';'");
                }
            }
        }
        var (manifest, bytes) = Serializer.Serialize(payload);
        return new PersistentRepr(PersistenceId, sequenceNr, manifest, bytes, tags, _writerUuid, now);
    }

    private void ThrowIfRecovering(string operation)
    {
        if (IsRecovering)
        {
            throw new InvalidOperationException(
                $"{operation} is not allowed while {PersistenceId} is recovering: persist on RecoveryCompleted or later");
        }
    }

    /// <summary>Hands the current batch to the journal in one call; its outcome returns as <see cref="WritesCompleted"/>.</summary>
    private void FlushBatch()
    {
        var batch = _eventBatch.ToArray();
        _eventBatch.Clear();
        var writeId = _nextWriteId++;
        var toJournal = new List<AtomicWrite>(batch.Length);
        foreach (var write in batch)
        {
            if (write.Rejection is null)
            {
                toJournal.Add(new AtomicWrite(write.Events));
            }
        }
        var journal = Journal;
        var instanceId = _instanceId;
        var task = toJournal.Count == 0
            ? Task.FromResult<IReadOnlyList<Exception?>>([])
            : Start(() => journal.WriteMessagesAsync(toJournal));
        PipeToSelf(task,
            results => new WritesCompleted(instanceId, writeId, batch, results, null),
            cause => new WritesCompleted(instanceId, writeId, batch, null, cause),
            Sender);
    }

    private void OnWritesCompleted(WritesCompleted completed)
    {
        if (completed.WriteId != _expectedWriteId)
        {
            // A journal may complete calls out of order; outcomes are applied in flush order.
            (_earlyCompletions ??= [])[completed.WriteId] = (completed, Sender);
            return;
        }
        _expectedWriteId++;
        ApplyOutcome(completed);
        if (_phase == Phase.Failed)
        {
            return;
        }
        if (_phase == Phase.PersistingEvents && _pendingStashingPersistInvocations == 0)
        {
            _phase = Phase.ProcessingCommands;
            UnstashInternally(all: false);
        }
        else if (_phase == Phase.ProcessingCommands && _pendingStashingPersistInvocations > 0)
        {
            // A PersistAsync handler called Persist: commands wait for that one too.
            _phase = Phase.PersistingEvents;
        }
        if (_earlyCompletions is not null && _earlyCompletions.Remove(_expectedWriteId, out var next))
        {
            Self.Tell(next.Message, next.Sender);
        }
    }

    private void ApplyOutcome(WritesCompleted completed)
    {
        var journalIndex = 0;
        foreach (var write in completed.Batch)
        {
            var rejection = write.Rejection;
            if (rejection is null)
            {
                if (completed.Failure is { } failure)
                {
                    var first = _pendingInvocations.Dequeue();
                    _phase = Phase.Failed;
                    try
                    {
                        OnPersistFailure(failure, first.Event, write.FirstSequenceNr);
                    }
                    finally
                    {
                        Context.Stop(Self);
                    }
                    return;
                }
                rejection = journalIndex < completed.Results!.Count ? completed.Results[journalIndex] : null;
                journalIndex++;
            }
            for (var i = 0; i < write.Count; i++)
            {
                var invocation = _pendingInvocations.Dequeue();
                if (invocation.Stashing)
                {
                    _pendingStashingPersistInvocations--;
                }
                LastSequenceNr = write.FirstSequenceNr + i;
                if (rejection is null)
                {
                    RunHandler(invocation);
                }
                else
                {
                    OnPersistRejected(rejection, invocation.Event, LastSequenceNr);
                }
                while (_pendingInvocations.TryPeek(out var head) && head.Deferred)
                {
                    RunHandler(_pendingInvocations.Dequeue());
                }
            }
        }
    }

    /// <summary>Runs a handler; events it persists itself are flushed right after it (even when it throws).</summary>
    private void RunHandler(PendingInvocation invocation)
    {
        var batchBefore = _eventBatch.Count;
        try
        {
            invocation.Handler(invocation.Event);
        }
        finally
        {
            if (_eventBatch.Count > batchBefore)
            {
                FlushBatch();
            }
        }
    }

    /// <summary>Starts a store call with no synchronization context (its continuations must not enter the actor), turning a synchronous throw into a faulted task.</summary>
    private static Task<T> Start<T>(Func<Task<T>> call)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return call();
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private static Task Start(Func<Task> call) => Start(async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    });

    private void PipeToSelf<T>(Task<T> task, Func<T, object> onSuccess, Func<Exception, object> onFailure, IActorRef? sender = null)
    {
        var self = Self;
        task.ContinueWith(
            t => self.Tell(t.IsCompletedSuccessfully ? onSuccess(t.GetAwaiter().GetResult()) : onFailure(Unwrap(t)), sender),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static Exception Unwrap(Task task) => task.Exception is { } aggregate
        ? aggregate.InnerExceptions.Count == 1 ? aggregate.InnerExceptions[0] : aggregate
        : new TaskCanceledException(task);
}
