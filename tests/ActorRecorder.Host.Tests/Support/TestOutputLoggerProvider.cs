using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ActorRecorder.Host.Tests.Support;

/// <summary>Sends a node's log to the test's output (what a failing spec shows), and each line to <paramref name="tee"/> when given.</summary>
public sealed class TestOutputLoggerProvider(ITestOutputHelper output, Action<string>? tee = null) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(output, categoryName[(categoryName.LastIndexOf('.') + 1)..], tee);

    public void Dispose()
    {
    }

    private sealed class Logger(ITestOutputHelper output, string category, Action<string>? tee) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var line = $"{TimeProvider.System.GetLocalNow():HH:mm:ss.fff} {logLevel.ToString()[..4]} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}";
            tee?.Invoke(line);
            try
            {
                output.WriteLine(line);
            }
            catch (InvalidOperationException)
            {
                // the test has finished: there is no output to write to any more
            }
        }
    }
}
