using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Remote;

namespace ActorRecorder.Host.Leases;

/// <summary>
/// Downs a member whose process is gone without waiting for the failure detector and the split-brain resolver. When the
/// connection to a member breaks (Akka.Remote reports the association lost) and its remoting port then <b>refuses</b>
/// connections — the host answers, but nothing listens on that port — the member's actor system is not running: a
/// crashed, killed or OOM-killed process, whose kernel closed its sockets. A live node never refuses (a frozen or
/// overloaded process still has its socket listening; the kernel completes the handshake), and a partition or a dead
/// machine makes a connection time out or fail to route, never refuse, so those are still left to failure detection and
/// stable-after. The refusal must be seen on every one of <see cref="Tries"/> attempts <see cref="Spacing"/> apart.
/// <para>
/// Downing a dead member cannot cost a recording or make two: its ffmpeg processes were stopped by its watchdog when the
/// process died, and its channels start elsewhere only once their shard leases expired (the ttl after its last renewal),
/// as on any failover. What it saves is the detection (acceptable-heartbeat-pause and more) and stable-after, so the
/// failure detector can be set for loaded machines without slowing the failover of a crashed node.
/// </para>
/// </summary>
internal sealed class CrashedNodeDowner : ReceiveActor
{
    public const string Name = "crashed-node-downer";

    private const int Tries = 3;
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);

    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<UniqueAddress> _probing = [];

    public CrashedNodeDowner()
    {
        Receive<DisassociatedEvent>(lost => Suspect(lost.RemoteAddress));
        Receive<AssociationErrorEvent>(error => Suspect(error.RemoteAddress));
        Receive<Verdict>(OnVerdict);
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new CrashedNodeDowner());

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(DisassociatedEvent));
        Context.System.EventStream.Subscribe(Self, typeof(AssociationErrorEvent));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void Suspect(Address address)
    {
        if (Downable(address) is not { } member || !_probing.Add(member.UniqueAddress) || address.Host is not { } host || address.Port is not { } port)
        {
            return;
        }
        RefusesAsync(host, port).PipeTo(Self, success: refused => new Verdict(member.UniqueAddress, refused),
            failure: _ => new Verdict(member.UniqueAddress, false));
    }

    private void OnVerdict(Verdict verdict)
    {
        _probing.Remove(verdict.Member);
        if (!verdict.Refused || Downable(verdict.Member.Address) is not { } member || member.UniqueAddress != verdict.Member)
        {
            return;
        }
        _log.Warning("Node {0} refuses connections on its remoting port after its connection broke: its process is gone. Downing it now "
            + "(its channels start elsewhere once their leases expire)", member.Address);
        _cluster.Down(member.Address);
        // The leader removes a downed member only once it is unreachable (the failure detector, seconds later) or its
        // incarnation is quarantined, which marks it terminated at once; a dead incarnation gets no message anyway.
        ((RemoteActorRefProvider)((ExtendedActorSystem)Context.System).Provider).Quarantine(member.Address, member.UniqueAddress.Uid);
    }

    /// <summary>A member this node may down: another one, joining or up (one leaving hands its channels off by itself).</summary>
    private Member? Downable(Address address) =>
        address == _cluster.SelfAddress || _cluster.IsTerminated
            ? null
            : _cluster.State.Members.FirstOrDefault(m => m.Address == address && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining);

    /// <summary>Whether every try to connect to the port is refused (not timed out, not unroutable: refused).</summary>
    internal static async Task<bool> RefusesAsync(string host, int port)
    {
        for (var i = 0; i < Tries; i++)
        {
            if (i > 0)
            {
                await Task.Delay(Spacing).ConfigureAwait(false);
            }
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(ConnectTimeout);
            try
            {
                await client.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
                return false; // something listens: alive
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                // refused: once more, so one refusal of a live node (Linux refuses when a listen backlog overflows, if
                // net.ipv4.tcp_abort_on_overflow is set) is not taken for a death
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                return false; // timed out, unroutable, unresolvable: not a proof of anything
            }
        }
        return true;
    }

    private sealed record Verdict(UniqueAddress Member, bool Refused);
}
