namespace ActorRecorder.Engine.Serialization;

/// <summary>
/// What <see cref="RecorderSerializer"/> gives for a payload it cannot read (a manifest this version does not know after
/// a downgrade, a corrupt row, a shape that no longer fits): a value, not an exception, so a channel replaying its
/// journal learns which event it cannot read and stops with that reason instead of failing its recovery (and being
/// started again by its shard, and failing again, forever). Never persisted or sent.
/// </summary>
public sealed record UnreadablePayload(string Manifest, string Reason);
