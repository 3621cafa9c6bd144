using ActorRecorder.Persistence.Serialization;

namespace ActorRecorder.Persistence.CrashHost;

/// <summary>
/// The event the host writes: its own sequence number and a filler whose length and letters derive
/// from it, so a reader can tell a whole row from a torn or misplaced one.
/// </summary>
public sealed record Counted(long Seq, string Filler)
{
    public const string Manifest = "crash-counted";

    public static Counted For(long seq) => new(seq, FillerFor(seq));

    public static string FillerFor(long seq) => new((char)('a' + (int)(seq % 26)), (int)(seq * 7919 % 1500));

    public bool IsIntactAt(long sequenceNr) => Seq == sequenceNr && Filler == FillerFor(sequenceNr);

    public static EventSerializer Serializer() => new EventSerializer().Register<Counted>(Manifest);
}
