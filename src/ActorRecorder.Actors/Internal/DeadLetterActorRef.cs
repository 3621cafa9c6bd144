using ActorRecorder.Actors.Event;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Actors.Internal;

/// <summary>
/// Where undeliverable messages go: each is published as <see cref="DeadLetter"/>, and the first
/// <c>LogDeadLetters</c> are logged at Information level (a dead letter is a symptom worth seeing).
/// </summary>
internal sealed class DeadLetterActorRef(ActorSystem system, ActorPath path) : InternalActorRef
{
    private int _count;

    public override ActorPath Path { get; } = path;

    public override bool IsTerminated => false;

    public override void Tell(object message, IActorRef? sender)
    {
        var letter = message as DeadLetter ?? new DeadLetter(message, sender, this);
        if (letter.Message is DeadLetter)
        {
            return; // a dead letter that could not be delivered to a subscriber: stop the chain here
        }
        system.EventStream.Publish(letter);
        if (letter.Message is PoisonPill or Terminated or ReceiveTimeoutTick or TimerMessage)
        {
            return;
        }
        var count = Interlocked.Increment(ref _count);
        var limit = system.Settings.LogDeadLetters;
        if (count <= limit)
        {
            var suffix = count == limit ? " No more dead letters will be logged." : "";
            system.Logging.Publish(LogLevel.Information, Path.ToString(), typeof(DeadLetterActorRef),
                $"Message [{letter.Message.GetType().Name}] from {letter.Sender?.Path.ToString() ?? "NoSender"} to " +
                $"{letter.Recipient.Path} was not delivered. [{count}] dead letters encountered.{suffix}", null);
        }
    }

    public override void SendSystem(SystemMessage message)
    {
        if (message is SysWatch watch)
        {
            watch.Watcher.SendSystem(new SysDeathWatchNotification(watch.Watchee, existenceConfirmed: false));
        }
    }
}
