namespace ActorRecorder.Actors.Internal;

/// <summary>
/// One block of a mailbox's user queue. Producers claim a slot with one atomic increment of
/// <see cref="Claimed"/>, write it and mark it ready; a claim at or past the end moves on to
/// <see cref="Next"/>. Closing adds <see cref="ClosedBias"/> to the claim counter, so every later
/// claim sees the mailbox closed and the closer knows exactly which claims came before.
/// </summary>
internal sealed class MailboxSegment(int size)
{
    public const int ClosedBias = 1 << 30;
    public const int FirstSize = 4;
    public const int MaxSize = 256;

    public readonly Slot[] Slots = new Slot[size];
    public int Claimed;
    public MailboxSegment? Next;

    /// <summary>A closed, empty mailbox for actors that stopped before anything was sent to them.</summary>
    public static MailboxSegment NewClosed() => new(0) { Claimed = ClosedBias };

    public struct Slot
    {
        public object? Message;
        public IActorRef? Sender;
        public int Ready;
    }
}
