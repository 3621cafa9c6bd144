namespace ActorRecorder.Host.Journal;

/// <summary>
/// The node cannot use its journal: it was written by ActorRecorder's earlier built-in persistence (which
/// Akka.Persistence.Sql cannot read), or another node is using it. Nothing was changed; the message says what to do.
/// </summary>
public sealed class JournalRefusedException(string message) : Exception(message);
