namespace ActorRecorder.Persistence.Journal;

/// <summary>
/// One event as the journal stores it: already serialized, with its place in its persistent actor's
/// history. Journals never look inside <see cref="Payload"/>; <see cref="Manifest"/> says how to read it.
/// </summary>
/// <param name="PersistenceId">The persistent actor's stable identity.</param>
/// <param name="SequenceNr">1-based position in that actor's history; assigned by the actor, unique per persistence id.</param>
/// <param name="Manifest">The stable name of the event type (see <see cref="Serialization.EventSerializer"/>).</param>
/// <param name="Payload">The serialized event (UTF-8 JSON for <see cref="Serialization.EventSerializer"/>).</param>
/// <param name="Tags">Tags for queries by tag; never null, no tag contains ';'.</param>
/// <param name="WriterUuid">Identifies the actor incarnation that wrote the event.</param>
/// <param name="Timestamp">When the event was persisted, in milliseconds since the Unix epoch.</param>
public sealed record PersistentRepr(
    string PersistenceId,
    long SequenceNr,
    string Manifest,
    byte[] Payload,
    IReadOnlyList<string> Tags,
    string WriterUuid,
    long Timestamp)
{
    public override string ToString() =>
        $"PersistentRepr({PersistenceId}#{SequenceNr}, {Manifest}, {Payload.Length} bytes{(Tags.Count == 0 ? "" : ", tags " + string.Join(",", Tags))})";
}
