using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ActorRecorder.Cli;

/// <summary>One line per entry with a timestamp: what a person reads in a terminal or a journald unit.</summary>
internal static class ConsoleLogging
{
    public static ILoggerFactory Create(LogLevel minimum = LogLevel.Information) => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(minimum)
        .AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            options.UseUtcTimestamp = false;
            options.ColorBehavior = LoggerColorBehavior.Default;
        }));
}
