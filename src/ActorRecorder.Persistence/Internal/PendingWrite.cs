using ActorRecorder.Persistence.Journal;

namespace ActorRecorder.Persistence.Internal;

/// <summary>
/// One atomic write a persistent actor has issued: its serialized events, or the reason it was
/// rejected before reaching the journal (it could not be serialized).
/// </summary>
internal sealed class PendingWrite(long firstSequenceNr, int count)
{
    public long FirstSequenceNr { get; } = firstSequenceNr;

    public int Count { get; } = count;

    public List<PersistentRepr> Events { get; } = new(count);

    public Exception? Rejection { get; set; }
}

/// <summary>A handler waiting for its event to be durable (or, deferred, for the events before it).</summary>
internal sealed record PendingInvocation(object Event, Action<object> Handler, bool Stashing, bool Deferred);
