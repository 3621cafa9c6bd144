namespace ActorRecorder.Actors.Internal;

/// <summary>A user message with its sender, kept outside the queue (stashed, or put back at the head).</summary>
internal sealed class Envelope(object message, IActorRef? sender)
{
    public readonly object Message = message;
    public readonly IActorRef? Sender = sender;
    internal Envelope? Next;
}
