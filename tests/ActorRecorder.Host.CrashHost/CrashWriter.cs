using Akka.Actor;
using Akka.Persistence;
using ActorRecorder.Engine.Channel;

namespace ActorRecorder.Host.CrashHost;

/// <summary>
/// Persists channel events without pause — per round three with PersistAll and one with Persist — and prints
/// <c>ACK &lt;seq&gt;</c> from each handler, that is, only once the journal acknowledged it. Each event carries its
/// own sequence number and a filler derived from it (<see cref="Counted"/>), so a reader can tell a whole row
/// from a torn or misplaced one. Prints <c>RECOVERED &lt;n&gt;</c> after recovery and <c>CORRUPT ...</c> if a
/// replayed event is not the one expected.
/// </summary>
public sealed class CrashWriter : ReceivePersistentActor
{
    private long _next;

    public CrashWriter(string persistenceId)
    {
        PersistenceId = persistenceId;
        Recover<SegmentRecorded>(e =>
        {
            if (!Counted.IsIntactAt(e, LastSequenceNr))
            {
                Console.WriteLine($"CORRUPT replayed {e.Path} at sequence nr {LastSequenceNr}");
                Environment.Exit(3);
            }
        });
        Recover<RecoveryCompleted>(_ =>
        {
            Console.WriteLine($"RECOVERED {LastSequenceNr}");
            _next = LastSequenceNr + 1;
            Self.Tell(Next.Instance, Self);
        });
        Command<Next>(_ =>
        {
            PersistAll([Counted.For(_next), Counted.For(_next + 1), Counted.For(_next + 2)], Ack);
            Persist(Counted.For(_next + 3), e =>
            {
                Ack(e);
                Self.Tell(Next.Instance, Self);
            });
            _next += 4;
        });
    }

    public override string PersistenceId { get; }

    private static void Ack(SegmentRecorded e) => Console.WriteLine($"ACK {e.Bytes}");

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        Console.WriteLine($"FAILED {sequenceNr}: {cause.Message}");
        Environment.Exit(4);
    }

    private sealed class Next
    {
        public static readonly Next Instance = new();
    }
}

/// <summary>The event for sequence number n: a real channel event whose size is n and whose path holds a filler derived from n.</summary>
public static class Counted
{
    public static SegmentRecorded For(long seq) =>
        new("crash", 1, $"/crash/{seq}/{new string((char)('a' + (int)(seq % 26)), (int)(seq * 7919 % 1500))}", TimeSpan.FromSeconds(seq % 60), seq, false,
            DateTimeOffset.UnixEpoch.AddSeconds(seq));

    public static bool IsIntactAt(SegmentRecorded e, long sequenceNr) => e == For(sequenceNr);
}
