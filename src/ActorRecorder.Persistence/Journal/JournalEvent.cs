namespace ActorRecorder.Persistence.Journal;

/// <summary>
/// An event read by a query, with <see cref="Ordering"/>: the journal-wide position that increases
/// with insertion (an offset to resume a query by tag from; it may have gaps).
/// </summary>
public sealed record JournalEvent(long Ordering, PersistentRepr Event);
