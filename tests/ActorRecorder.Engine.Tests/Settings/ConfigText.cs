using ActorRecorder.Engine.Settings;
using ActorRecorder.Hocon;

namespace ActorRecorder.Engine.Tests.Settings;

/// <summary>Test configs parsed as if from a file named node.conf, and where a piece of their text is.</summary>
internal static class ConfigText
{
    public const string FileName = "node.conf";

    public static Config Parse(string text) =>
        ConfigurationFactory.ParseString(text, new ConfigParseOptions { OriginName = FileName }, ConfigResolveOptions.NoEnvironment);

    /// <summary>1-based line and column of the <paramref name="occurrence"/>-th (1-based) <paramref name="marker"/> in <paramref name="text"/>.</summary>
    public static (int Line, int Column) PositionOf(string text, string marker, int occurrence = 1)
    {
        var index = -1;
        for (var i = 0; i < occurrence; i++)
        {
            index = text.IndexOf(marker, index + 1, StringComparison.Ordinal);
            Assert.True(index >= 0, $"test setup: '{marker}' occurs fewer than {occurrence} times in the config text");
        }

        var before = text[..index];
        var line = before.Count(c => c == '\n') + 1;
        var column = index - (before.LastIndexOf('\n') + 1) + 1;
        return (line, column);
    }

    /// <summary>Loading <paramref name="text"/> fails at the position of <paramref name="marker"/>, naming <paramref name="path"/> and saying <paramref name="reason"/>.</summary>
    public static ConfigException AssertRejected(string text, string marker, string path, string reason, int occurrence = 1) =>
        AssertRejected(text, marker, path, reason, Directory.GetCurrentDirectory(), occurrence);

    /// <summary><see cref="AssertRejected(string, string, string, string, int)"/> with relative paths taken from <paramref name="baseDirectory"/>.</summary>
    public static ConfigException AssertRejected(string text, string marker, string path, string reason, string baseDirectory, int occurrence = 1)
    {
        var ex = Assert.Throws<ConfigException>(() => EngineSettings.Load(Parse(text), baseDirectory));
        var (line, column) = PositionOf(text, marker, occurrence);
        Assert.Equal(path, ex.Path);
        Assert.Equal(FileName, ex.File);
        Assert.True(line == ex.Line && column == ex.Column,
            $"expected the error at {line}:{column} ('{marker}'), got {ex.Line}:{ex.Column}: {ex.Message}");
        Assert.Contains(reason, ex.Reason);
        Assert.StartsWith($"{FileName}:{line}:{column}: at '{path}': ", ex.Message);
        return ex;
    }
}
