namespace ActorRecorder.Actors.Internal;

/// <summary>A user message with its sender; also the node of the mailbox's intrusive queue.</summary>
internal sealed class Envelope(object message, IActorRef? sender)
{
    public readonly object Message = message;
    public readonly IActorRef? Sender = sender;
    internal Envelope? Next;

    /// <summary>Marks the closed end of a user queue.</summary>
    public static readonly Envelope Closed = new(new object(), null);
}
