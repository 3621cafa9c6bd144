namespace ActorRecorder.Persistence.Journal;

/// <summary>
/// Events of one persistent actor that a journal stores all together or not at all
/// (<c>PersistAll</c> makes one; <c>Persist</c> makes one per event). Sequence numbers are contiguous.
/// </summary>
public sealed class AtomicWrite
{
    public AtomicWrite(IReadOnlyList<PersistentRepr> payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Count == 0)
        {
            throw new ArgumentException("An atomic write needs at least one event", nameof(payload));
        }
        var first = payload[0];
        for (var i = 1; i < payload.Count; i++)
        {
            if (!string.Equals(payload[i].PersistenceId, first.PersistenceId, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"An atomic write holds events of one persistence id, got [{first.PersistenceId}] and [{payload[i].PersistenceId}]", nameof(payload));
            }
            if (payload[i].SequenceNr != first.SequenceNr + i)
            {
                throw new ArgumentException(
                    $"Sequence numbers of an atomic write must be contiguous: [{first.SequenceNr}..] then [{payload[i].SequenceNr}]", nameof(payload));
            }
        }
        Payload = payload;
    }

    public AtomicWrite(PersistentRepr single) : this([single]) { }

    public IReadOnlyList<PersistentRepr> Payload { get; }

    public string PersistenceId => Payload[0].PersistenceId;

    public long LowestSequenceNr => Payload[0].SequenceNr;

    public long HighestSequenceNr => Payload[^1].SequenceNr;

    public int Size => Payload.Count;

    public override string ToString() => $"AtomicWrite({PersistenceId}#{LowestSequenceNr}..{HighestSequenceNr})";
}
