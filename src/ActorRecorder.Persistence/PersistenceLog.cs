using Microsoft.Extensions.Logging;

namespace ActorRecorder.Persistence;

/// <summary>The log lines of persistent actors (source-generated).</summary>
internal static partial class PersistenceLog
{
    [LoggerMessage(Level = LogLevel.Error,
        Message = "Failed to persist event type [{EventType}] with sequence number [{SequenceNr}] for persistence id [{PersistenceId}]; stopping: {Reason}")]
    public static partial void PersistFailed(ILogger logger, Exception cause, string eventType, long sequenceNr, string persistenceId, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Rejected to persist event type [{EventType}] with sequence number [{SequenceNr}] for persistence id [{PersistenceId}]: {Reason}")]
    public static partial void PersistRejected(ILogger logger, Exception cause, string eventType, long sequenceNr, string persistenceId, string reason);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Recovery of persistence id [{PersistenceId}] failed; last known sequence number [{SequenceNr}]; stopping: {Reason}")]
    public static partial void RecoveryFailed(ILogger logger, Exception cause, string persistenceId, long sequenceNr, string reason);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Recover handler threw on event type [{EventType}] with sequence number [{SequenceNr}] for persistence id [{PersistenceId}]; stopping: {Reason}")]
    public static partial void RecoverHandlerFailed(ILogger logger, Exception cause, string eventType, long sequenceNr, string persistenceId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Operation} failed for persistence id [{PersistenceId}] and nobody handled the failure: {Reason}")]
    public static partial void UnhandledFailure(ILogger logger, Exception cause, string operation, string persistenceId, string reason);
}
