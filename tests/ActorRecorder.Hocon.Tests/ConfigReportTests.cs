using ActorRecorder.Hocon;

namespace ActorRecorder.Hocon.Tests;

public sealed class ConfigReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hocon-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Masking_must_hide_secret_keys_and_connection_string_passwords()
    {
        var config = Hocon.Parse("""
            telegram { bot-token = "123:abc", chat = 42 }
            db { connection = "Host=db;Username=rec;Password=hunter2;Port=5432", Password = "x", api-key = 12345 }
            other { secret { nested = 1 }, token = null, tokens = [a, b] }
            """);

        var masked = ConfigSecrets.MaskSecrets(config);

        Assert.Equal(ConfigSecrets.Mask, masked.GetString("telegram.bot-token"));
        Assert.Equal(42, masked.GetInt("telegram.chat"));
        Assert.Equal("Host=db;Username=rec;Password=********;Port=5432", masked.GetString("db.connection"));
        Assert.Equal(ConfigSecrets.Mask, masked.GetString("db.Password"));
        Assert.Equal(ConfigSecrets.Mask, masked.GetString("db.api-key"));
        Assert.Equal(ConfigSecrets.Mask, masked.GetString("other.secret"));
        Assert.IsType<ConfigNull>(masked.GetValue("other.token"));
        Assert.Equal(["a", "b"], masked.GetStringList("other.tokens"));
        Assert.DoesNotContain("hunter2", masked.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("123:abc", masked.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Show_must_print_the_resolved_masked_configuration()
    {
        var file = Write("app.conf", "a { bot-token = ${TOKEN}, name = ${base}-x }\nbase = rec");
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new ConfigResolveOptions { EnvironmentLookup = name => name == "TOKEN" ? "s3cr3t" : null };

        var exit = ConfigReport.Show(file, json: false, output, error, environment, Hocon.Parse("a { timeout = 5s }"));

        Assert.Equal(0, exit);
        Assert.Equal("", error.ToString());
        var shown = Hocon.Parse(output.ToString());
        Assert.Equal(ConfigSecrets.Mask, shown.GetString("a.bot-token"));
        Assert.Equal("rec-x", shown.GetString("a.name"));
        Assert.Equal("5s", shown.GetString("a.timeout"));
        Assert.DoesNotContain("s3cr3t", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Show_must_print_json_when_asked()
    {
        var file = Write("app.conf", "a = 1");
        var output = new StringWriter();

        var exit = ConfigReport.Show(file, json: true, output, new StringWriter(), ConfigResolveOptions.NoEnvironment);

        Assert.Equal(0, exit);
        Assert.Equal(1, ConfigurationFactory.ParseString(output.ToString(), new ConfigParseOptions { Syntax = ConfigSyntax.Json }).GetInt("a"));
    }

    [Fact]
    public void Show_must_exit_1_with_the_positioned_error_on_a_bad_file()
    {
        var file = Write("channels.conf", "channels {\n  a = 1\n  ]\n}");
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = ConfigReport.Show(file, json: false, output, error, ConfigResolveOptions.NoEnvironment);

        Assert.Equal(1, exit);
        Assert.Equal("", output.ToString());
        Assert.Equal($"error: {file}:3:3: at 'channels': expected '}}' or a key, found ']'", error.ToString().TrimEnd());
    }

    [Fact]
    public void Show_must_exit_1_when_a_substitution_cannot_be_resolved()
    {
        var file = Write("app.conf", "a = ${nowhere}");
        var error = new StringWriter();

        var exit = ConfigReport.Show(file, json: false, new StringWriter(), error, ConfigResolveOptions.NoEnvironment);

        Assert.Equal(1, exit);
        Assert.StartsWith($"error: {file}:1:5: at 'a': could not resolve substitution ${{nowhere}}", error.ToString(), StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
