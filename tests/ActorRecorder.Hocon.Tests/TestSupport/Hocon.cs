using ActorRecorder.Hocon;

namespace ActorRecorder.Hocon.Tests;

internal static class Hocon
{
    /// <summary>Parses and resolves with no environment fallback, so tests never depend on the machine.</summary>
    public static Config Parse(string text, Func<string, string?>? environment = null) =>
        ConfigurationFactory.ParseString(
            text,
            resolveOptions: environment is null
                ? ConfigResolveOptions.NoEnvironment
                : new ConfigResolveOptions { EnvironmentLookup = environment });

    public static ConfigException ParseError(string text) => Assert.Throws<ConfigException>(() => Parse(text));

    public static void AssertPosition(ConfigException e, int line, int column)
    {
        Assert.True(e.Line == line && e.Column == column, $"expected {line}:{column}, got {e.Line}:{e.Column} in: {e.Message}");
    }

    /// <summary>Whether two HOCON texts describe the same value.</summary>
    public static void AssertSame(string expected, string actual) =>
        ValueEquality.AssertEqual(Parse(expected).Root, Parse(actual).Root);
}
