namespace ActorRecorder.Actors.Internal;

/// <summary>User-queue messages the cell handles itself before (or instead of) the actor.</summary>
internal interface IAutoReceivedMessage;

/// <summary>Fires the receive timeout; stale when its generation is not the current one.</summary>
internal sealed record ReceiveTimeoutTick(int Generation) : IAutoReceivedMessage, INotInfluenceReceiveTimeout;
