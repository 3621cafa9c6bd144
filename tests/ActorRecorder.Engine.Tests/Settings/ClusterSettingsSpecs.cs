using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Engine.Tests.Settings;

public sealed class ClusterSettingsSpecs
{
    private const string Postgres = """
        actor-recorder.persistence { journal = postgres, postgres.connection-string = "Host=db;Username=rec" }

        """;

    [Fact]
    public void A_node_without_seed_nodes_must_be_a_cluster_of_one_with_the_reference_tuning()
    {
        var cluster = EngineSettings.Load(ConfigText.Parse("")).Cluster;

        Assert.True(cluster.IsSingleNode);
        Assert.Equal("127.0.0.1", cluster.Hostname);
        Assert.Equal(0, cluster.Port);
        Assert.Null(cluster.PublicHostname);
        Assert.Equal(TimeSpan.FromMilliseconds(500), cluster.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(3), cluster.AcceptableHeartbeatPause);
        Assert.Equal(TimeSpan.FromSeconds(2), cluster.StableAfter);
        Assert.Equal(TimeSpan.FromMilliseconds(300), cluster.DownRemovalMargin);
        Assert.Equal("keep-majority", cluster.Downing);
        Assert.Equal(TimeSpan.FromSeconds(4), cluster.LeaseTtl);
        Assert.Equal(TimeSpan.FromSeconds(1), cluster.LeaseRenewInterval);
        Assert.Equal(TimeSpan.FromSeconds(6), cluster.LeaseGiveUpAfter); // the ttl + 2 s
        Assert.Equal(TimeSpan.FromSeconds(60), cluster.LeaseRideOut);
    }

    [Fact]
    public void A_cluster_node_must_take_its_seeds_address_and_tuning_from_the_users_config()
    {
        var cluster = EngineSettings.Load(ConfigText.Parse(Postgres + """
            actor-recorder.cluster {
              seed-nodes = ["rec-1:4053", "rec-2:4053"], hostname = 0.0.0.0, port = 4053, public-hostname = rec-1, roles = [recorder]
              tls.required = off
              failure-detection { heartbeat-interval = 1s, acceptable-heartbeat-pause = 3s }
              downing { strategy = lease-majority, stable-after = 5s, down-removal-margin = 1s }
              lease { ttl = 10s, renew-interval = 2s, ride-out = 0s }
            }
            """)).Cluster;

        Assert.False(cluster.IsSingleNode);
        Assert.Equal(["rec-1:4053", "rec-2:4053"], cluster.SeedNodes);
        Assert.Equal(("0.0.0.0", 4053, "rec-1"), (cluster.Hostname, cluster.Port, cluster.PublicHostname));
        Assert.Equal(["recorder"], cluster.Roles);
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)), (cluster.HeartbeatInterval, cluster.AcceptableHeartbeatPause));
        Assert.Equal(("lease-majority", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)), (cluster.Downing, cluster.StableAfter, cluster.DownRemovalMargin));
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)), (cluster.LeaseTtl, cluster.LeaseRenewInterval));
        Assert.Equal(TimeSpan.FromSeconds(12), cluster.LeaseGiveUpAfter); // follows the ttl unless set
        Assert.Equal(TimeSpan.Zero, cluster.LeaseRideOut);
    }

    [Theory]
    [InlineData("rec-1", "is not host:port")]
    [InlineData("rec-1:0", "is not host:port")]
    [InlineData("rec-1:70000", "is not host:port")]
    [InlineData("akka.tcp://actorrecorder@rec-1:4053", "is not host:port")]
    [InlineData("rec 1:4053", "is not host:port")]
    [InlineData(":4053", "is not host:port")]
    public void A_seed_node_that_is_not_host_and_port_must_be_refused(string seed, string reason)
    {
        var text = Postgres + $$"""actor-recorder.cluster { seed-nodes = ["{{seed}}"], port = 4053 }""";

        ConfigText.AssertRejected(text, "[\"", "actor-recorder.cluster.seed-nodes", reason);
    }

    [Fact]
    public void A_cluster_must_share_a_postgres_journal()
    {
        var text = """actor-recorder.cluster { seed-nodes = ["rec-1:4053"], port = 4053 }""";

        var ex = Assert.Throws<Hocon.ConfigException>(() => EngineSettings.Load(ConfigText.Parse(text)));

        Assert.Equal("actor-recorder.persistence.journal", ex.Path);
        Assert.Contains("shares one PostgreSQL journal", ex.Reason);
    }

    [Fact]
    public void A_cluster_node_must_listen_on_a_fixed_port()
    {
        var text = Postgres + """actor-recorder.cluster { seed-nodes = ["rec-1:4053"], port = 0 }""";

        ConfigText.AssertRejected(text, "0 }", "actor-recorder.cluster.port", "must be a fixed port");
    }

    [Fact]
    public void A_cluster_node_listening_on_every_interface_must_say_how_others_reach_it()
    {
        var text = Postgres + """actor-recorder.cluster { seed-nodes = ["rec-1:4053"], port = 4053, hostname = "0.0.0.0" }""";

        var ex = Assert.Throws<Hocon.ConfigException>(() => EngineSettings.Load(ConfigText.Parse(text)));

        Assert.Equal("actor-recorder.cluster.public-hostname", ex.Path);
        Assert.Contains("the name or address the other nodes reach this one by", ex.Reason);
    }

    [Fact]
    public void An_unknown_downing_strategy_must_be_refused()
    {
        var text = Postgres + """actor-recorder.cluster.downing.strategy = keep-oldest""";

        ConfigText.AssertRejected(text, "keep-oldest", "actor-recorder.cluster.downing.strategy", "unknown strategy 'keep-oldest'");
    }

    [Theory]
    [InlineData("ttl = 4s, renew-interval = 2s", "2s }", "renew-interval", "less than half the ttl")]
    [InlineData("ttl = 2s, renew-interval = 900ms", "2s,", "ttl", "at least 1500ms longer than renew-interval")]
    [InlineData("ttl = 4s, give-up-after = 3s", "3s }", "give-up-after", "must be longer than the ttl")]
    public void Leases_must_leave_room_for_a_slow_renewal_and_for_the_watchdog(string lease, string marker, string key, string reason)
    {
        var text = Postgres + $$"""actor-recorder.cluster.lease { {{lease}} }""";

        ConfigText.AssertRejected(text, marker, "actor-recorder.cluster.lease." + key, reason);
    }

    [Fact]
    public void The_docker_compose_clusters_conf_must_load_with_its_environment()
    {
        var certificates = Directory.CreateTempSubdirectory("ar-compose-certs-").FullName;
        ClusterCertificates.Create(certificates, ["node-1", "node-2", "node-3"], TimeSpan.FromDays(1)); // what its certificates service makes
        var environment = new Dictionary<string, string>
        {
            ["NODE_HOSTNAME"] = "node-2",
            ["ACTORRECORDER_POSTGRES"] = "Host=postgres;Database=actorrecorder;Username=actorrecorder;Password=x",
            ["ACTORRECORDER_CLUSTER_TLS_DIR"] = certificates,
        };
        var settings = LoadClusterConf(environment);
        Assert.Equal(new ClusterTlsSettings($"{certificates}/node-2.pem", $"{certificates}/node-2-key.pem", $"{certificates}/ca.pem"), settings.Cluster.Tls);

        Assert.Equal(["node-1:4053", "node-2:4053", "node-3:4053"], settings.Cluster.SeedNodes);
        Assert.Equal(("0.0.0.0", 4053, "node-2"), (settings.Cluster.Hostname, settings.Cluster.Port, settings.Cluster.PublicHostname));
        Assert.Equal(JournalKind.Postgres, settings.Journal.Kind);
        Assert.Equal(12, settings.Channels.Count);
        Assert.All(settings.Channels, c => Assert.StartsWith("/recordings/", c.Recording.OutputDir, StringComparison.Ordinal));

        // Without its name the node is refused: the others could not reach it.
        environment.Remove("NODE_HOSTNAME");
        var ex = Assert.Throws<Hocon.ConfigException>(() => LoadClusterConf(environment));
        Assert.Equal("actor-recorder.cluster.public-hostname", ex.Path);
        Directory.Delete(certificates, recursive: true);
    }

    [Fact]
    public void A_node_listening_beyond_loopback_must_refuse_to_start_without_tls_unless_told_it_need_not()
    {
        var text = Postgres + """actor-recorder.cluster { seed-nodes = ["rec-1:4053"], port = 4053, hostname = "10.0.0.5" }""";

        ConfigText.AssertRejected(text, "\"10.0.0.5\"", "actor-recorder.cluster.hostname", "listening on 10.0.0.5 (not loopback) needs TLS");
        Assert.Null(EngineSettings.Load(ConfigText.Parse(text + "\nactor-recorder.cluster.tls.required = off")).Cluster.Tls);
        Assert.Null(EngineSettings.Load(ConfigText.Parse(text.Replace("10.0.0.5", "127.0.0.1", StringComparison.Ordinal))).Cluster.Tls);
        Assert.Null(EngineSettings.Load(ConfigText.Parse(text.Replace("10.0.0.5", "::1", StringComparison.Ordinal))).Cluster.Tls);
    }

    [Fact]
    public void Tls_must_name_the_key_of_a_missing_file_a_bad_key_or_a_certificate_another_ca_signed()
    {
        var folder = Directory.CreateTempSubdirectory("ar-tls-settings-").FullName;
        try
        {
            ClusterCertificates.Create(folder, ["rec-1", "rec-2"], TimeSpan.FromDays(1));
            ClusterCertificates.Create(Path.Combine(folder, "other"), ["rec-1"], TimeSpan.FromDays(1));
            string Tls(string certificate, string key, string ca) => Postgres + $$"""
                actor-recorder.cluster { seed-nodes = ["rec-1:4053"], port = 4053, hostname = "10.0.0.5"
                  tls { enabled = on, certificate = "{{certificate}}", private-key = "{{key}}", ca = "{{ca}}" } }
                """;
            Hocon.ConfigException Refused(string text) => Assert.Throws<Hocon.ConfigException>(() => EngineSettings.Load(ConfigText.Parse(text), folder));

            var good = EngineSettings.Load(ConfigText.Parse(Tls("rec-1.pem", "rec-1-key.pem", "ca.pem")), folder).Cluster.Tls;
            Assert.Equal(new ClusterTlsSettings($"{folder}/rec-1.pem", $"{folder}/rec-1-key.pem", $"{folder}/ca.pem"), good);

            var missing = Refused(Tls("rec-9.pem", "rec-1-key.pem", "ca.pem"));
            Assert.Equal(("actor-recorder.cluster.tls.certificate", $"{folder}/rec-9.pem does not exist"), (missing.Path, missing.Reason));
            var mismatched = Refused(Tls("rec-1.pem", "rec-2-key.pem", "ca.pem"));
            Assert.Equal("actor-recorder.cluster.tls.private-key", mismatched.Path);
            var foreign = Refused(Tls("other/rec-1.pem", "other/rec-1-key.pem", "ca.pem"));
            Assert.Equal("actor-recorder.cluster.tls.certificate", foreign.Path);
            Assert.Contains("is not signed by a CA in", foreign.Reason);
            var notPem = Refused(Tls("rec-1.pem", "rec-1-key.pem", "rec-1-key.pem"));
            Assert.Equal("actor-recorder.cluster.tls.ca", notPem.Path);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static NodeSettings LoadClusterConf(Dictionary<string, string> environment)
    {
        var options = new Hocon.ConfigResolveOptions { EnvironmentLookup = name => environment.GetValueOrDefault(name) };
        var reference = Hocon.ConfigurationFactory.ParseString(ReferenceConfSpecs.ReadEmbeddedReference(), null, options);
        var file = Path.Combine(AppContext.BaseDirectory, "cluster.conf");
        var config = Hocon.ConfigurationFactory.ParseString(File.ReadAllText(file), new Hocon.ConfigParseOptions { OriginName = file }, options);
        return EngineSettings.Load(config.WithFallback(reference), AppContext.BaseDirectory);
    }
}
