using ActorRecorder.Hocon;

namespace ActorRecorder.Hocon.Tests;

public sealed class ReferenceConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hocon-reference-").FullName;

    private static Config Reference => ConfigurationFactory.FromResource(typeof(ReferenceConfigTests).Assembly, "reference.conf", ConfigResolveOptions.NoEnvironment);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Embedded_reference_must_load_and_resolve_on_its_own()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), Reference.GetTimeSpan("test-module.timeout"));
        Assert.Equal("hello world", Reference.GetString("test-module.greeting"));
    }

    [Fact]
    public void LoadReferences_must_find_embedded_reference_files()
    {
        var references = ConfigurationFactory.LoadReferences([typeof(ReferenceConfigTests).Assembly], ConfigResolveOptions.NoEnvironment);

        Assert.Equal(4, references.GetInt("test-module.workers"));
    }

    [Fact]
    public void Missing_resource_must_fail_with_a_config_exception()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigurationFactory.FromResource(typeof(ReferenceConfigTests).Assembly, "nope.conf"));

        Assert.Contains("resource 'nope.conf' not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_must_use_references_as_fallback_and_let_the_file_refer_to_them()
    {
        var file = Write("app.conf", "test-module { workers = 8, name = override }\nsummary = ${test-module.workers}\" workers, \"${test-module.timeout}");

        var config = ConfigurationFactory.Load(file, ConfigResolveOptions.NoEnvironment, Reference);

        Assert.Equal(8, config.GetInt("test-module.workers"));
        Assert.Equal(TimeSpan.FromSeconds(5), config.GetTimeSpan("test-module.timeout"));
        Assert.Equal("8 workers, 5s", config.GetString("summary"));
        Assert.Equal("hello world", config.GetString("test-module.greeting"));
    }

    [Fact]
    public void Load_must_let_null_clear_a_reference_object()
    {
        var file = Write("app.conf", "test-module = null\ntest-module { workers = 1 }");

        var config = ConfigurationFactory.Load(file, ConfigResolveOptions.NoEnvironment, Reference);

        Assert.Equal(1, config.GetInt("test-module.workers"));
        Assert.False(config.HasPath("test-module.timeout"));
    }

    [Fact]
    public void Load_must_extend_a_reference_list_with_plus_equals()
    {
        var reference = Hocon.Parse("plugins = [core]");
        var file = Write("app.conf", "plugins += extra");

        var config = ConfigurationFactory.Load(file, ConfigResolveOptions.NoEnvironment, reference);

        Assert.Equal(["core", "extra"], config.GetStringList("plugins"));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
