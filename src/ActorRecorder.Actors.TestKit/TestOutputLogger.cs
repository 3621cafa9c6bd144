using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ActorRecorder.Actors.TestKit;

/// <summary>Writes log entries to the xunit test's output (ignored once the test has finished).</summary>
public sealed class TestOutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider, ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new OutputLogger(output, categoryName);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    private sealed class OutputLogger(ITestOutputHelper output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            try
            {
                output.WriteLine($"[{logLevel}] {category}: {formatter(state, exception)}{(exception is null ? "" : $"\n{exception}")}");
            }
            catch (InvalidOperationException)
            {
                // the test has already finished; its output is closed
            }
        }
    }
}
