using ActorRecorder.Engine.Settings.Internal;
using ActorRecorder.Hocon;

namespace ActorRecorder.Engine.Settings;

public static partial class EngineSettings
{
    private const string SectionPath = "actor-recorder";

    /// <summary>
    /// The keys <c>actor-recorder</c> may hold: every key path of the references a node loads (the engine's), with each channel's keys as <see cref="ChannelKeys"/> says. Built on first use.
    /// </summary>
    private static readonly Lazy<KeyShape> ValidKeys = new(() =>
    {
        // Resolved for real, a key whose default is an unset variable (bot-token = ${?TELEGRAM_BOT_TOKEN}) drops out of
        // the reference; resolved as if every variable were set, the references show all their keys.
        var everyVariableSet = new ConfigResolveOptions { EnvironmentLookup = static _ => "" };
        var references = ConfigurationFactory.LoadReferences([typeof(EngineSettings).Assembly], everyVariableSet);
        var shape = KeyShape.Of(references.Root);
        var recording = shape.At("actor-recorder.recording");
        return shape.With(ChannelsPath, KeyShape.ListOf(ChannelKeys(recording))).With(TemplatesPath, KeyShape.MapOf(TemplateKeys(recording)));
    });

    /// <summary>
    /// Fails on the first key under <c>actor-recorder</c> that no reference defines. Keys outside it are the user's
    /// own helpers (used through substitutions) or other libraries' (<c>akka { }</c>), and are not checked.
    /// </summary>
    /// <exception cref="ConfigException">At the unknown key: its full path and the closest valid key, or the valid keys there.</exception>
    private static void RejectUnknownKeys(Config root)
    {
        // A section that is not an object is reported by the readers, as a value of the wrong type.
        if (root.GetValue(SectionPath) is ConfigObject section)
        {
            UnknownKeys.Check(section, ValidKeys.Value.At(SectionPath), SectionPath);
        }
    }
}
