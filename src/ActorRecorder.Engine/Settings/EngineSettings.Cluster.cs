using System.Globalization;
using ActorRecorder.Engine.Settings.Internal;

namespace ActorRecorder.Engine.Settings;

public static partial class EngineSettings
{
    private static readonly string[] DowningStrategies = ["keep-majority", "lease-majority"];

    private static ClusterSettings ReadCluster(SettingsSection cluster, JournalSettings journal, SettingsSection persistence, string baseDir)
    {
        var seeds = cluster.GetStringList("seed-nodes");
        foreach (var seed in seeds)
        {
            if (!TryHostPort(seed, out _, out _))
            {
                throw cluster.Invalid("seed-nodes", $"'{seed}' is not host:port (e.g. \"recorder-1:4053\")");
            }
        }
        var hostname = cluster.GetString("hostname").Trim();
        if (hostname.Length == 0)
        {
            throw cluster.Invalid("hostname", "must not be empty; the address to listen on, e.g. 0.0.0.0 or 127.0.0.1");
        }
        var port = cluster.GetInt("port");
        if (port is < 0 or > 65535 || (port == 0 && seeds.Count > 0))
        {
            throw cluster.Invalid("port", seeds.Count > 0
                ? "must be a fixed port (1 to 65535) when seed-nodes are set: the other nodes must be able to reach this one"
                : $"must be 0 (any free port) or 1 to 65535, got {port}");
        }
        if (seeds.Count > 0 && journal.Kind != JournalKind.Postgres)
        {
            throw new Hocon.ConfigException(
                "a cluster (seed-nodes set) shares one PostgreSQL journal: set actor-recorder.persistence.journal = postgres",
                persistence.OriginOf("journal"), persistence.PathOf("journal"));
        }
        var publicHostname = cluster.GetString("public-hostname").Trim();
        if (seeds.Count > 0 && publicHostname.Length == 0 && hostname is "0.0.0.0" or "::" or "[::]")
        {
            throw cluster.Invalid("public-hostname", $"must be set when hostname is {hostname} (listening on every interface): "
                + "the name or address the other nodes reach this one by");
        }
        var detection = cluster.Child("failure-detection");
        var downing = cluster.Child("downing");
        var lease = cluster.Child("lease");
        var strategy = downing.GetString("strategy").Trim();
        if (!DowningStrategies.Contains(strategy))
        {
            throw downing.Invalid("strategy", $"unknown strategy '{strategy}'; use {string.Join(" or ", DowningStrategies)}");
        }
        var heartbeat = Duration(detection, "heartbeat-interval", TimeSpan.FromMilliseconds(100));
        var pause = Duration(detection, "acceptable-heartbeat-pause", heartbeat);
        var ttl = Duration(lease, "ttl", TimeSpan.FromSeconds(1));
        var renew = Duration(lease, "renew-interval", TimeSpan.FromMilliseconds(100));
        if (renew * 2 >= ttl)
        {
            throw lease.Invalid("renew-interval", $"must be less than half the ttl ({ConfigDescription.Of(ttl)}), so one slow renewal does not lose the leases");
        }
        if (ttl - renew < MinimumLeaseSlack)
        {
            throw lease.Invalid("ttl", $"must be at least {ConfigDescription.Of(MinimumLeaseSlack)} longer than renew-interval ({ConfigDescription.Of(renew)}): "
                + "the watchdog stops a silent node's recordings within that slack, before another node may take its channels");
        }
        var giveUp = lease.GetString("give-up-after").Trim().Length == 0 ? ttl + TimeSpan.FromSeconds(2) : Duration(lease, "give-up-after", TimeSpan.FromSeconds(1));
        if (giveUp <= ttl)
        {
            throw lease.Invalid("give-up-after", $"must be longer than the ttl ({ConfigDescription.Of(ttl)}): a node gives its channels up only after it has lost their leases");
        }
        return new ClusterSettings(seeds, hostname, port, publicHostname.Length == 0 ? null : publicHostname, cluster.GetStringList("roles"),
            heartbeat, pause, Duration(downing, "stable-after", TimeSpan.FromMilliseconds(100)),
            Duration(downing, "down-removal-margin", TimeSpan.Zero), strategy, ttl, renew, giveUp, Duration(lease, "ride-out", TimeSpan.Zero))
        {
            Tls = ReadTls(cluster, hostname, baseDir),
        };
    }

    /// <summary>
    /// The cluster port's TLS: required (unless <c>required = off</c>) when the node listens on anything but loopback,
    /// where whoever reaches the port could otherwise join the cluster and command it.
    /// </summary>
    private static ClusterTlsSettings? ReadTls(SettingsSection cluster, string hostname, string baseDir)
    {
        var tls = cluster.Child("tls");
        if (!tls.GetOnOff("enabled"))
        {
            if (tls.GetOnOff("required") && !IsLoopback(hostname))
            {
                throw cluster.Invalid("hostname", $"listening on {hostname} (not loopback) needs TLS: without it anything that reaches the "
                    + "cluster port can join the cluster and command it. Turn actor-recorder.cluster.tls on with its certificate, private-key "
                    + "and ca (actorrecorder certificates makes them), or set actor-recorder.cluster.tls.required = off on a network you trust");
            }
            return null;
        }
        string File(string key)
        {
            var path = Path.GetFullPath(RequiredPath(tls, key), baseDir);
            return System.IO.File.Exists(path) ? path : throw tls.Invalid(key, $"{path} does not exist");
        }
        var settings = new ClusterTlsSettings(File("certificate"), File("private-key"), File("ca"));
        System.Security.Cryptography.X509Certificates.X509Certificate2Collection ca;
        try
        {
            ca = ClusterCertificates.LoadCa(settings.CaPath);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw tls.Invalid("ca", $"{settings.CaPath} is not a PEM certificate: {ex.Message}");
        }
        try
        {
            using var node = ClusterCertificates.LoadNode(settings);
            if (!ClusterCertificates.SignedBy(node, ca, out var problem))
            {
                throw tls.Invalid("certificate", $"{settings.CertificatePath} is not signed by a CA in {settings.CaPath} (or not valid now): {problem}");
            }
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw tls.Invalid("private-key", $"{settings.CertificatePath} and {settings.KeyPath} are not a PEM certificate and its private key: {ex.Message}");
        }
        return settings;
    }

    /// <summary>127.0.0.0/8, ::1 or localhost: only this machine can reach the port.</summary>
    private static bool IsLoopback(string hostname) =>
        hostname.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(hostname.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));

    /// <summary>The least time between a lease's last renewal and its expiry: the watchdog's 1 s and half a second to kill.</summary>
    private static readonly TimeSpan MinimumLeaseSlack = TimeSpan.FromMilliseconds(1500);

    /// <summary>Splits "host:port" (a host name or address, no scheme or path, and a port of 1 to 65535).</summary>
    public static bool TryHostPort(string value, out string host, out int port)
    {
        var colon = value.LastIndexOf(':');
        host = colon > 0 ? value[..colon] : "";
        port = 0;
        return colon > 0 && host.IndexOfAny(NotInHost) < 0
            && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
    }

    private static readonly char[] NotInHost = ['/', '@', ' ', '\t', '?', '#'];
}
