using ActorRecorder.Hocon;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Actors.Tests.Actor;

public sealed class ActorSystemConfigSpecs
{
    [Fact]
    public void Settings_must_default_to_the_reference_conf()
    {
        var settings = ActorSystemSettings.FromConfig(Config.Empty);
        Assert.Equal(30, settings.Throughput);
        Assert.Equal(Timeout.InfiniteTimeSpan, settings.AskTimeout);
        Assert.Equal(LogLevel.Information, settings.MinimumLogLevel);
        Assert.Equal(10, settings.LogDeadLetters);
    }

    [Fact]
    public void Settings_must_take_values_from_the_users_config()
    {
        var config = ConfigurationFactory.ParseString("""
            actor-recorder.actors { throughput = 5, ask-timeout = 2s, log-level = debug }
            """);
        var settings = ActorSystemSettings.FromConfig(config);
        Assert.Equal(5, settings.Throughput);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.AskTimeout);
        Assert.Equal(LogLevel.Debug, settings.MinimumLogLevel);
        Assert.Equal(10, settings.LogDeadLetters);
    }

    [Theory]
    [InlineData("throughput = 0", "actor-recorder.actors.throughput", "at least 1")]
    [InlineData("log-level = loud", "actor-recorder.actors.log-level", "not a log level")]
    [InlineData("ask-timeout = soon", "actor-recorder.actors.ask-timeout", "")]
    public void A_bad_setting_must_fail_naming_the_file_position_and_key(string line, string path, string reason)
    {
        var config = ConfigurationFactory.ParseString($"actor-recorder.actors {{\n  {line}\n}}",
            new ConfigParseOptions { OriginName = "node.conf" });
        var ex = Assert.Throws<ConfigException>(() => ActorSystemSettings.FromConfig(config));
        Assert.Contains(path, ex.Message);
        Assert.Contains(reason, ex.Message);
        Assert.StartsWith("node.conf:2:", ex.Message);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_system_created_from_config_must_use_its_settings()
    {
        var config = ConfigurationFactory.ParseString("actor-recorder.actors.throughput = 7");
        await using var system = ActorSystem.Create("configured", config);
        Assert.Equal(7, system.Settings.Throughput);
        var echo = system.ActorOf(Props.Create<EchoActor>());
        Assert.Equal("hi", await echo.Ask<string>("hi", TimeSpan.FromSeconds(3)));
    }
}
