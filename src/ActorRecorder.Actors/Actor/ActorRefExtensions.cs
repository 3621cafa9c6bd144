using ActorRecorder.Actors.Internal;

namespace ActorRecorder.Actors;

/// <summary>Sending helpers shaped like Akka.NET's implicit-sender extensions.</summary>
public static class ActorRefExtensions
{
    /// <summary>Tells with the current actor as sender when called inside an actor, else with no sender.</summary>
    public static void Tell(this IActorRef receiver, object message) =>
        receiver.Tell(message, ActorCell.Current?.Self);

    /// <summary>Sends <paramref name="message"/> keeping the sender of the message being processed.</summary>
    public static void Forward(this IActorRef receiver, object message)
    {
        var cell = ActorCell.Current ?? throw new InvalidOperationException("Forward can only be used inside an actor");
        receiver.Tell(message, cell.CurrentSenderOrNull);
    }

    /// <summary>True when the reference points at nothing (<see cref="ActorRefs.Nobody"/> or null).</summary>
    public static bool IsNobody(this IActorRef? actorRef) => actorRef is null || actorRef is NobodyRef;
}
