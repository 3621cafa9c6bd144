using ActorRecorder.Hocon;

namespace ActorRecorder.Hocon.Tests;

/// <summary>The lightbend/config "equiv" suite, run with the rules of conformance/lightbend-equiv/README.md.</summary>
public class ConformanceTests
{
    private static readonly string SuiteRoot = Path.Combine(AppContext.BaseDirectory, "conformance", "lightbend-equiv");

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var (dir, file) in EnumerateCases())
        {
            data.Add(dir, file);
        }

        return data;
    }

    public static TheoryData<string, string> JsonFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var dir in EquivDirectories())
        {
            foreach (var file in Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(dir), Path.GetFileName(file));
            }
        }

        return data;
    }

    [Fact]
    public void Conformance_suite_must_have_5_classes_and_15_cases()
    {
        Assert.Equal(5, EquivDirectories().Count);
        Assert.Equal(15, EnumerateCases().Count);
        foreach (var dir in EquivDirectories())
        {
            Assert.Single(Directory.GetFiles(dir, "original.*"));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_case_must_resolve_to_the_same_value_as_its_original(string directory, string file)
    {
        var original = ConfigurationFactory.ParseFile(Path.Combine(SuiteRoot, directory, "original.json"), ConfigResolveOptions.NoEnvironment);
        var actual = ConfigurationFactory.ParseFile(Path.Combine(SuiteRoot, directory, file), ConfigResolveOptions.NoEnvironment);

        ValueEquality.AssertEqual(original.Root, actual.Root);
    }

    [Theory]
    [MemberData(nameof(JsonFiles))]
    public void Json_files_must_give_the_same_value_when_parsed_as_hocon(string directory, string file)
    {
        var path = Path.Combine(SuiteRoot, directory, file);
        var asJson = ConfigurationFactory.ParseFile(path, ConfigResolveOptions.NoEnvironment);
        var asHocon = ConfigurationFactory.ParseString(
            File.ReadAllText(path),
            new ConfigParseOptions { Syntax = ConfigSyntax.Conf, BaseDirectory = Path.GetDirectoryName(path), OriginName = file },
            ConfigResolveOptions.NoEnvironment);

        ValueEquality.AssertEqual(asJson.Root, asHocon.Root);
    }

    internal static List<string> EquivDirectories() =>
        Directory.GetDirectories(SuiteRoot)
            .Where(d => Path.GetFileName(d).StartsWith("equiv", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    internal static List<(string Directory, string File)> EnumerateCases() =>
        EquivDirectories()
            .SelectMany(dir => Directory.GetFiles(dir)
                .Where(f => f.EndsWith(".conf", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
                .Where(f => !Path.GetFileName(f).StartsWith("original.", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .Select(f => (Path.GetFileName(dir), Path.GetFileName(f))))
            .ToList();
}
