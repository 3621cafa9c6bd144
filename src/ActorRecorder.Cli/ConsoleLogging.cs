using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ActorRecorder.Cli;

/// <summary>One line per entry with a timestamp: what a person reads in a terminal or a journald unit.</summary>
internal static class ConsoleLogging
{
    public static void Configure(ILoggingBuilder builder, LogLevel minimum = LogLevel.Information) => builder
        .ClearProviders()
        .SetMinimumLevel(minimum)
        .AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
            options.UseUtcTimestamp = false;
            options.ColorBehavior = LoggerColorBehavior.Default;
        });
}
