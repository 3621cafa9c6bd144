using ActorRecorder.Hocon;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Actors;

/// <summary>Reading the settings from HOCON (<c>actor-recorder.actors</c>, see the kernel's reference.conf).</summary>
public sealed partial record ActorSystemSettings
{
    /// <summary>The kernel's embedded reference.conf: every key with its default.</summary>
    public static Config Reference { get; } =
        ConfigurationFactory.FromResource(typeof(ActorSystemSettings).Assembly, "ActorRecorder.Actors.reference.conf");

    /// <summary>Settings from <paramref name="config"/>, falling back to <see cref="Reference"/> key by key.</summary>
    /// <exception cref="ConfigException">A value has the wrong type or is out of range; the message names the path.</exception>
    public static ActorSystemSettings FromConfig(Config config)
    {
        const string Root = "actor-recorder.actors.";
        // Full paths (not a sub-config), so every error names the whole key.
        var actors = config.WithFallback(Reference);
        var throughput = actors.GetInt(Root + "throughput");
        if (throughput < 1)
        {
            throw Invalid(actors, "throughput", $"must be at least 1, got {throughput}");
        }
        var deadLetters = actors.GetInt(Root + "log-dead-letters");
        if (deadLetters < 0)
        {
            throw Invalid(actors, "log-dead-letters", $"must not be negative, got {deadLetters}");
        }
        var askTimeout = actors.GetTimeSpan(Root + "ask-timeout");
        if (askTimeout <= TimeSpan.Zero && askTimeout != Timeout.InfiniteTimeSpan)
        {
            throw Invalid(actors, "ask-timeout", "must be a positive duration or infinite");
        }
        var levelText = actors.GetString(Root + "log-level");
        if (!Enum.TryParse<LogLevel>(levelText, ignoreCase: true, out var level) || !Enum.IsDefined(level))
        {
            throw Invalid(actors, "log-level",
                $"'{levelText}' is not a log level; use one of {string.Join(", ", Enum.GetNames<LogLevel>())}");
        }
        return new ActorSystemSettings
        {
            Throughput = throughput,
            AskTimeout = askTimeout,
            MinimumLogLevel = level,
            LogDeadLetters = deadLetters,
        };

        static ConfigException Invalid(Config section, string key, string reason) =>
            new(reason, section.GetValue(Root + key)?.Origin, Root + key);
    }
}
