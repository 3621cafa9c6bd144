using ActorRecorder.Persistence.Serialization;

namespace ActorRecorder.Persistence.Tests.Crash;

/// <summary>
/// The crash host's event as the test reads it: its own type registered under the host's manifest
/// (which is all a reader needs), with the same rule for the filler.
/// </summary>
public sealed record CountedEvent(long Seq, string Filler)
{
    public static EventSerializer Serializer() => new EventSerializer().Register<CountedEvent>("crash-counted");

    public bool IsIntactAt(long sequenceNr) =>
        Seq == sequenceNr && Filler == new string((char)('a' + (int)(sequenceNr % 26)), (int)(sequenceNr * 7919 % 1500));
}
