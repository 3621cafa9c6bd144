using Microsoft.Extensions.Logging;

namespace ActorRecorder.Actors.Event;

/// <summary>
/// The kernel's logging: every entry at or above the minimum level is published on the EventStream
/// (so tests can expect it) and written to the system's <see cref="ILoggerFactory"/>.
/// </summary>
internal sealed class SystemLogging(ActorSystem system, ILoggerFactory factory, LogLevel minimumLevel)
{
    private readonly Dictionary<Type, ILogger> _loggers = [];
    private readonly Lock _gate = new();

    public LogLevel MinimumLevel => minimumLevel;

    public bool IsEnabled(LogLevel level) => level >= minimumLevel && level != LogLevel.None;

    public ILogger LoggerFor(IActorRef self, Type actorType) => new ActorLogger(this, self.Path.ToString(), actorType);

    public void Publish(LogLevel level, string source, Type? logClass, string message, Exception? cause)
    {
        if (!IsEnabled(level))
        {
            return;
        }
        system.EventStream.Publish(new LogEvent(level, source, logClass, message, cause, system.Time.GetUtcNow()));
        var logger = FactoryLogger(logClass ?? typeof(ActorSystem));
        if (logger.IsEnabled(level))
        {
            logger.Log(level, default, (source, message), cause, static (state, _) => $"[{state.source}] {state.message}");
        }
    }

    private ILogger FactoryLogger(Type type)
    {
        lock (_gate)
        {
            if (!_loggers.TryGetValue(type, out var logger))
            {
                logger = factory.CreateLogger(type.FullName ?? type.Name);
                _loggers[type] = logger;
            }
            return logger;
        }
    }

    private sealed class ActorLogger(SystemLogging logging, string source, Type actorType) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logging.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (logging.IsEnabled(logLevel))
            {
                logging.Publish(logLevel, source, actorType, formatter(state, exception), exception);
            }
        }
    }
}
