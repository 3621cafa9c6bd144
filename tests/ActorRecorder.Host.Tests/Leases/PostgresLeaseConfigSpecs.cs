using Akka.Configuration;
using Akka.Coordination;
using ActorRecorder.Host.Leases;

namespace ActorRecorder.Host.Tests.Leases;

public sealed class PostgresLeaseConfigSpecs
{
    private const string ConnectionString = "Host=db.example;Port=5433;Database=cluster;Username=recorder;Password=s3cr\"et";

    [Fact]
    public void The_helper_must_write_a_block_Akka_and_the_lease_read_back()
    {
        var config = PostgresLeaseConfig.Create(ConnectionString, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(1500), TimeSpan.FromSeconds(2));

        var block = config.GetConfig(PostgresLeaseConfig.DefaultPath);
        Assert.Equal(PostgresLeaseConfig.LeaseClass, block.GetString("lease-class"));
        Assert.Equal(typeof(PostgresLease), Type.GetType(PostgresLeaseConfig.LeaseClass));
        var settings = PostgresLeaseSettings.Create(LeaseSettings.Create(block, "lease", "owner"));
        Assert.Equal(ConnectionString, settings.ConnectionString);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Timeouts.HeartbeatTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), settings.Timeouts.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.Timeouts.OperationTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.SafetyMargin); // a tenth of the TTL unless given
    }

    [Fact]
    public void The_safety_margin_must_default_to_a_tenth_of_the_TTL_in_a_hand_written_block()
    {
        var settings = Read("""
            connection-string = "Host=db;Database=cluster"
            heartbeat-timeout = 4s
            heartbeat-interval = 1s
            lease-operation-timeout = 1s
            """);

        Assert.Equal(TimeSpan.FromMilliseconds(400), settings.SafetyMargin);
    }

    [Fact]
    public void Nothing_that_holds_the_connection_string_must_print_its_password()
    {
        var option = new PostgresLeaseOption(ConnectionString, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(1500), TimeSpan.FromSeconds(2));
        var settings = PostgresLeaseSettings.Create(LeaseSettings.Create(option.ToConfig().GetConfig(option.ConfigPath), "lease", "owner"));

        foreach (var printed in new[] { option.ToString(), settings.ToString() })
        {
            Assert.DoesNotContain("s3cr", printed, StringComparison.Ordinal);
            Assert.Contains("db.example", printed, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_block_without_a_connection_string_must_be_refused_naming_the_key()
    {
        var refused = Assert.Throws<ConfigurationException>(() => Read("heartbeat-timeout = 5s\nheartbeat-interval = 1s\nlease-operation-timeout = 1s"));
        Assert.Contains("connection-string", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_safety_margin_that_leaves_no_time_to_renew_must_be_refused()
    {
        var refused = Assert.Throws<ConfigurationException>(() => Read("""
            connection-string = "Host=db;Database=cluster"
            heartbeat-timeout = 5s
            heartbeat-interval = 2s
            lease-operation-timeout = 1s
            safety-margin = 3s
            """));
        Assert.Contains("safety-margin", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_helper_must_refuse_a_heartbeat_interval_Akka_would_refuse()
    {
        var refused = Assert.Throws<ArgumentException>(() =>
            PostgresLeaseConfig.Create(ConnectionString, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2)));

        Assert.Equal("heartbeatInterval", refused.ParamName);
    }

    /// <summary>A lease block as Akka's LeaseProvider hands it to the lease.</summary>
    private static PostgresLeaseSettings Read(string block) =>
        PostgresLeaseSettings.Create(LeaseSettings.Create(ConfigurationFactory.ParseString(block), "lease", "owner"));
}
