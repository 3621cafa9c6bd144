using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Engine.Tests.Settings;

public sealed class ManagementSettingsSpecs
{
    [Fact]
    public void The_api_must_listen_on_loopback_with_a_generated_token_by_default_and_take_the_users_values()
    {
        var defaults = EngineSettings.Load(ConfigText.Parse("")).Management;
        Assert.Equal(("127.0.0.1", 9110, (string?)null), (defaults.Hostname, defaults.Port, defaults.Token));
        Assert.Equal((TimeSpan.FromHours(6), 1000, TimeSpan.FromSeconds(10)), (defaults.LinkTtl, defaults.LogLines, defaults.LiveClientTimeout));

        var set = EngineSettings.Load(ConfigText.Parse("""
            actor-recorder.management {
              http { hostname = 0.0.0.0, port = 0, token = "0123456789abcdef0123" }
              link-ttl = 30m, log-lines = 0, live-client-timeout = 2s
            }
            """)).Management;
        Assert.Equal(new ManagementSettings("0.0.0.0", 0, "0123456789abcdef0123", TimeSpan.FromMinutes(30), 0, TimeSpan.FromSeconds(2)), set);
        Assert.DoesNotContain("0123456789abcdef0123", set.ToString());
    }

    [Theory]
    [InlineData("http.port = 70000", "70000", "http.port", "must be 0 (any free port) or 1 to 65535")]
    [InlineData("http.port = -1", "-1", "http.port", "must be 0 (any free port) or 1 to 65535")]
    [InlineData("http.hostname = \"\"", "\"\"", "http.hostname", "must not be empty")]
    [InlineData("http.token = short", "short", "http.token", "at least 16 characters")]
    [InlineData("http.token = \"with spaces in the token\"", "\"with", "http.token", "without spaces")]
    [InlineData("link-ttl = 10s", "10s", "link-ttl", "at least 60s")]
    [InlineData("link-ttl = 31d", "31d", "link-ttl", "at most 30d")]
    [InlineData("log-lines = 100001", "100001", "log-lines", "0 to 100000")]
    [InlineData("live-client-timeout = 11m", "11m", "live-client-timeout", "at most 10m")]
    [InlineData("http.tokn = x", "tokn", "http.tokn", "unknown key 'tokn'")]
    public void A_bad_management_setting_must_name_the_file_line_column_and_key(string setting, string marker, string key, string reason)
    {
        var text = $"actor-recorder.management {{ {setting} }}";
        ConfigText.AssertRejected(text, marker, "actor-recorder.management." + key, reason);
    }

    [Fact]
    public void A_token_file_must_give_the_token_and_be_refused_when_missing_short_world_readable_or_beside_a_token()
    {
        var folder = Directory.CreateTempSubdirectory("ar-token-").FullName;
        try
        {
            var file = Path.Combine(folder, "token");
            File.WriteAllText(file, "0123456789abcdef-from-a-file\n");
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            var read = EngineSettings.Load(ConfigText.Parse("actor-recorder.management.http.token-file = token"), folder).Management;
            Assert.Equal(("0123456789abcdef-from-a-file", file), (read.Token, read.TokenFile));
            Assert.DoesNotContain("from-a-file", read.ToString());

            ConfigText.AssertRejected("actor-recorder.management.http.token-file = nowhere", "nowhere", "actor-recorder.management.http.token-file", "does not exist", folder);
            ConfigText.AssertRejected("actor-recorder.management.http { token = \"0123456789abcdef0123\", token-file = token }", "token", "actor-recorder.management.http.token-file", "choose one", folder, occurrence: 3);
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            ConfigText.AssertRejected("actor-recorder.management.http.token-file = token", "token", "actor-recorder.management.http.token-file", "every user", folder, occurrence: 2);
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.WriteAllText(file, "short");
            ConfigText.AssertRejected("actor-recorder.management.http.token-file = token", "token", "actor-recorder.management.http.token-file", "at least 16", folder, occurrence: 2);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
