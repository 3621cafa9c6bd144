using ActorRecorder.Actors;

namespace ActorRecorder.Persistence.CrashHost;

/// <summary>
/// Persists without pause: per round three events with PersistAllAsync and one with Persist, and
/// prints <c>ACK &lt;seq&gt;</c> from each handler — that is, only once the event is durable.
/// Prints <c>RECOVERED &lt;n&gt;</c> when recovery is done, and <c>CORRUPT ...</c> if a replayed event is not the one expected.
/// </summary>
public sealed class CrashWriter : ReceivePersistentActor
{
    private long _next;

    public CrashWriter(string persistenceId)
    {
        PersistenceId = persistenceId;
        Recover<Counted>(e =>
        {
            if (!e.IsIntactAt(LastSequenceNr))
            {
                Console.WriteLine($"CORRUPT replayed seq {e.Seq} at sequence nr {LastSequenceNr}");
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
            PersistAllAsync([Counted.For(_next), Counted.For(_next + 1), Counted.For(_next + 2)], Ack);
            Persist(Counted.For(_next + 3), e =>
            {
                Ack(e);
                Self.Tell(Next.Instance, Self);
            });
            _next += 4;
        });
    }

    public override string PersistenceId { get; }

    private void Ack(Counted e) => Console.WriteLine($"ACK {e.Seq}");

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
