namespace ActorRecorder.Host.Journal;

/// <summary>
/// The node's journal was written by ActorRecorder's earlier built-in persistence, which the Akka.Persistence.Sql
/// journal cannot read. Nothing was changed; the message says what to do.
/// </summary>
public sealed class LegacyJournalException(string message) : Exception(message);
