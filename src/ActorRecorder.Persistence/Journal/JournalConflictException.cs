namespace ActorRecorder.Persistence.Journal;

/// <summary>
/// A write tried to store a sequence number that is already taken for its persistence id (optimistic
/// concurrency: another incarnation of the actor, or another node, wrote it first). A write failure.
/// </summary>
public sealed class JournalConflictException : Exception
{
    public JournalConflictException(string persistenceId, long sequenceNr, Exception? inner = null)
        : base($"Sequence number [{sequenceNr}] of persistence id [{persistenceId}] is already stored: another writer got there first", inner)
    {
        PersistenceId = persistenceId;
        SequenceNr = sequenceNr;
    }

    public string PersistenceId { get; }

    public long SequenceNr { get; }
}
