using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Host.Management;

/// <summary>The node's most recent log lines, kept in memory for <c>log peek</c> (<c>GET /api/logs</c>).</summary>
public sealed class LogRing(int capacity, TimeProvider time) : ILoggerProvider
{
    private readonly Queue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Last(int count)
    {
        lock (_lines)
        {
            return _lines.Skip(Math.Max(0, _lines.Count - count)).ToList();
        }
    }

    public ILogger CreateLogger(string categoryName) => new RingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(LogLine line)
    {
        if (capacity == 0)
        {
            return;
        }
        lock (_lines)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }
            _lines.Enqueue(line);
        }
    }

    private sealed class RingLogger(LogRing ring, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var message = formatter(state, exception);
            if (exception is not null)
            {
                message += " " + exception.GetType().Name + ": " + exception.Message;
            }
            ring.Add(new LogLine(ring.Now(), logLevel.ToString().ToLower(CultureInfo.InvariantCulture), category, message));
        }
    }

    private DateTimeOffset Now() => time.GetUtcNow();
}

/// <summary>One log line as <c>log peek</c> shows it.</summary>
public sealed record LogLine(DateTimeOffset At, string Level, string Category, string Message);
