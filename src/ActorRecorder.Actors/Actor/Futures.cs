using ActorRecorder.Actors.Internal;

namespace ActorRecorder.Actors;

/// <summary>Request/response with actors (Akka.NET's Ask) and graceful stop.</summary>
public static class Futures
{
    /// <summary>
    /// Sends <paramref name="message"/> with a temporary sender and completes with the first reply.
    /// A <see cref="Status.Failure"/> reply faults the task with its cause.
    /// </summary>
    /// <exception cref="AskTimeoutException">No reply within <paramref name="timeout"/> (default: the system's AskTimeout).</exception>
    /// <exception cref="TaskCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public static Task<object> Ask(this IActorRef receiver, object message, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        Ask<object>(receiver, message, timeout, cancellationToken);

    public static Task<object> Ask(this IActorRef receiver, object message, CancellationToken cancellationToken) =>
        Ask<object>(receiver, message, null, cancellationToken);

    public static Task<T> Ask<T>(this IActorRef receiver, object message, CancellationToken cancellationToken) =>
        Ask<T>(receiver, message, null, cancellationToken);

    /// <exception cref="InvalidCastException">The reply is not a <typeparamref name="T"/>.</exception>
    public static async Task<T> Ask<T>(this IActorRef receiver, object message, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        var system = SystemOf(receiver);
        var effective = timeout ?? system?.Settings.AskTimeout ?? Timeout.InfiniteTimeSpan;
        var promise = new PromiseActorRef(system?.NextTempPath() ?? ActorPath.CreateRoot("temp") / "$ask");
        using var timer = effective == Timeout.InfiniteTimeSpan
            ? null
            : (system?.Time ?? TimeProvider.System).CreateTimer(
                static state =>
                {
                    var (p, text) = ((PromiseActorRef, string))state!;
                    p.TrySetException(new AskTimeoutException(text));
                },
                (promise, $"Ask timed out on [{receiver.Path}] after [{effective.TotalMilliseconds:0} ms]. " +
                          $"Message of type [{message.GetType().FullName}]. The recipient did not reply in time."),
                effective, Timeout.InfiniteTimeSpan);
        await using var registration = cancellationToken.Register(
            static state =>
            {
                var (p, token) = ((PromiseActorRef, CancellationToken))state!;
                p.TrySetCanceled(token);
            },
            (promise, cancellationToken)).ConfigureAwait(false);
        receiver.Tell(message, promise);
        var reply = await promise.Task.ConfigureAwait(false);
        return reply is T typed
            ? typed
            : throw new InvalidCastException(
                $"Ask on [{receiver.Path}] expected a reply of type [{typeof(T).Name}] but got [{reply.GetType().Name}]: {reply}");
    }

    /// <summary>
    /// Sends <paramref name="stopMessage"/> (default <see cref="PoisonPill"/>) and waits for the actor to
    /// stop: true when it did within <paramref name="timeout"/>, false otherwise.
    /// </summary>
    public static async Task<bool> GracefulStop(this IActorRef target, TimeSpan timeout, object? stopMessage = null)
    {
        if (target is not InternalActorRef internalTarget)
        {
            return false;
        }
        var system = SystemOf(target);
        var promise = new PromiseActorRef(system?.NextTempPath() ?? ActorPath.CreateRoot("temp") / "$stop");
        internalTarget.SendSystem(new SysWatch(internalTarget, promise));
        target.Tell(stopMessage ?? PoisonPill.Instance, ActorRefs.NoSender);
        try
        {
            var reply = await promise.Task.WaitAsync(timeout, system?.Time ?? TimeProvider.System).ConfigureAwait(false);
            return reply is Terminated;
        }
        catch (TimeoutException)
        {
            internalTarget.SendSystem(new SysUnwatch(internalTarget, promise));
            return false;
        }
    }

    private static ActorSystem? SystemOf(IActorRef actorRef) => (actorRef as LocalActorRef)?.Cell.System;
}
