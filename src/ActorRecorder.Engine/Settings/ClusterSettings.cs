namespace ActorRecorder.Engine.Settings;

/// <summary>How a node joins others (<c>actor-recorder.cluster</c>; see hocon/reference.conf for what each value trades).</summary>
/// <param name="SeedNodes">Nodes to join, as host:port; empty: the node is a cluster of one.</param>
/// <param name="Hostname">The address the node listens on.</param>
/// <param name="Port">The port it listens on; 0 picks a free one (a cluster of one only: others could not find it).</param>
/// <param name="PublicHostname">How other nodes reach it (behind NAT or in a container); null: <paramref name="Hostname"/>.</param>
/// <param name="Roles">Cluster roles of the node.</param>
/// <param name="HeartbeatInterval">How often nodes tell each other they are alive.</param>
/// <param name="AcceptableHeartbeatPause">How long heartbeats may be late before a node counts as unreachable.</param>
/// <param name="StableAfter">How long the membership must stay unchanged before the split-brain resolver downs the unreachable.</param>
/// <param name="DownRemovalMargin">How long after downing a node its shards wait before they start elsewhere.</param>
/// <param name="Downing">keep-majority or lease-majority.</param>
/// <param name="LeaseTtl">How long a shard lease lasts without renewal: a frozen or cut-off node loses its channels after it.</param>
/// <param name="LeaseRenewInterval">How often a node renews its leases.</param>
/// <param name="LeaseGiveUpAfter">
/// How long every lease statement of a node may fail while another member reaches the database, before the node gives
/// its channels up (it leaves the cluster and rejoins once the database answers it again).
/// </param>
/// <param name="LeaseRideOut">
/// How long past its lease's validity a node keeps recording its channels while PostgreSQL answers nobody and the cluster
/// stays whole (a database restart or failover): nobody can take a lease meanwhile. Zero: leases lapse after the ttl.
/// </param>
public sealed record ClusterSettings(
    IReadOnlyList<string> SeedNodes,
    string Hostname,
    int Port,
    string? PublicHostname,
    IReadOnlyList<string> Roles,
    TimeSpan HeartbeatInterval,
    TimeSpan AcceptableHeartbeatPause,
    TimeSpan StableAfter,
    TimeSpan DownRemovalMargin,
    string Downing,
    TimeSpan LeaseTtl,
    TimeSpan LeaseRenewInterval,
    TimeSpan LeaseGiveUpAfter,
    TimeSpan LeaseRideOut)
{
    /// <summary>Mutual TLS between the nodes (<c>cluster.tls</c>); null: plain TCP (loopback, or <c>tls.required = off</c>).</summary>
    public ClusterTlsSettings? Tls { get; init; }

    /// <summary>The node forms a cluster of its own (no seed nodes).</summary>
    public bool IsSingleNode => SeedNodes.Count == 0;

    public bool Equals(ClusterSettings? other) =>
        other is not null && SeedNodes.SequenceEqual(other.SeedNodes) && Roles.SequenceEqual(other.Roles) && Hostname == other.Hostname
        && Port == other.Port && PublicHostname == other.PublicHostname && HeartbeatInterval == other.HeartbeatInterval
        && AcceptableHeartbeatPause == other.AcceptableHeartbeatPause && StableAfter == other.StableAfter && DownRemovalMargin == other.DownRemovalMargin
        && Downing == other.Downing && LeaseTtl == other.LeaseTtl && LeaseRenewInterval == other.LeaseRenewInterval
        && LeaseGiveUpAfter == other.LeaseGiveUpAfter && LeaseRideOut == other.LeaseRideOut && Tls == other.Tls;

    public override int GetHashCode() => HashCode.Combine(SeedNodes.Count, Hostname, Port, Downing);
}

/// <summary>
/// Mutual TLS on the cluster port: the node presents <paramref name="CertificatePath"/> (PEM, with its private key in
/// <paramref name="KeyPath"/>) and accepts only peers whose certificate a CA in <paramref name="CaPath"/> signed, as they
/// accept it only if that CA signed its certificate. Absolute paths.
/// </summary>
public sealed record ClusterTlsSettings(string CertificatePath, string KeyPath, string CaPath);
