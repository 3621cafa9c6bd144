using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorRecorder.Actors;

/// <summary>Settings of an actor system; every property has Akka.NET's default.</summary>
public sealed partial record ActorSystemSettings
{
    /// <summary>User messages an actor processes per turn before yielding its thread (Akka: 30).</summary>
    public int Throughput { get; init; } = 30;

    /// <summary>Time for the scheduler, timers, receive timeouts and asks; a fake one makes tests run on virtual time.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where log entries go besides the EventStream.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Entries below this level are neither published nor written.</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Information;

    /// <summary>How many dead letters are logged before logging them stops (they are always published).</summary>
    public int LogDeadLetters { get; init; } = 10;

    /// <summary>Timeout of an Ask given none; infinite as in Akka.</summary>
    public TimeSpan AskTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>How the /user guardian supervises top-level actors.</summary>
    public SupervisorStrategy GuardianSupervisorStrategy { get; init; } = SupervisorStrategy.DefaultStrategy;
}
