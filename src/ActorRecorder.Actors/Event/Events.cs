using Microsoft.Extensions.Logging;

namespace ActorRecorder.Actors.Event;

/// <summary>A message that could not be delivered (its receiver was dead, or its mailbox full).</summary>
public sealed record DeadLetter(object Message, IActorRef? Sender, IActorRef Recipient);

/// <summary>A message the receiving actor did not handle.</summary>
public sealed record UnhandledMessage(object Message, IActorRef? Sender, IActorRef Recipient);

/// <summary>A log entry written through an actor's logger (or by the kernel), as published on the EventStream.</summary>
public sealed record LogEvent(
    LogLevel Level, string LogSource, Type? LogClass, string Message, Exception? Cause, DateTimeOffset Timestamp)
{
    public override string ToString() =>
        $"[{Level}] [{LogSource}] {Message}{(Cause is null ? "" : $" ({Cause.GetType().Name}: {Cause.Message})")}";
}
