using ActorRecorder.Persistence.Journal;

namespace ActorRecorder.Persistence.Sql.Batching;

/// <summary>One caller's <c>WriteMessagesAsync</c> call waiting in the group-commit queue.</summary>
internal sealed class BatchWrite
{
    private readonly TaskCompletionSource<IReadOnlyList<Exception?>> _completion =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly Action<BatchWrite>? _beforeFailing;

    public BatchWrite(IReadOnlyList<AtomicWrite> writes, object? context, long sequence, Action<BatchWrite>? beforeFailing = null)
    {
        _beforeFailing = beforeFailing;
        Writes = writes;
        Context = context;
        Sequence = sequence;
        var events = 0;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var write in writes)
        {
            events += write.Size;
            ids.Add(write.PersistenceId);
        }
        EventCount = events;
        PersistenceIds = ids;
    }

    public IReadOnlyList<AtomicWrite> Writes { get; }

    /// <summary>Position in the queue (increasing with every call).</summary>
    public long Sequence { get; }

    /// <summary>What the provider captured for this call when it was made (e.g. its write guard condition).</summary>
    public object? Context { get; }

    public int EventCount { get; }

    public IReadOnlySet<string> PersistenceIds { get; }

    public Task<IReadOnlyList<Exception?>> Completion => _completion.Task;

    public bool IsCompleted => _completion.Task.IsCompleted;

    public void Succeed() => _completion.TrySetResult(new Exception?[Writes.Count]);

    /// <summary>Fails the call; the hook runs first, so whatever it records holds before anyone sees the failure.</summary>
    public void Fail(Exception cause)
    {
        if (_completion.Task.IsCompleted)
        {
            return;
        }
        _beforeFailing?.Invoke(this);
        _completion.TrySetException(cause);
    }
}
