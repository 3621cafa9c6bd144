using ActorRecorder.Actors.Internal;

namespace ActorRecorder.Actors;

/// <summary>
/// An actor whose behaviour is a list of typed handlers, tried in registration order. Handlers are
/// registered in the constructor or inside <see cref="Become"/> / <see cref="BecomeStacked"/>.
/// An async handler (<see cref="ReceiveAsync{T}"/>) holds the mailbox until its task completes, and
/// its continuations run inside the actor, so state stays single-threaded across awaits.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private HandlerEntry[] _handlers = [];
    private Stack<HandlerEntry[]>? _behaviorStack;
    private bool _configuring = true;

    internal override void OnConstructed() => _configuring = false;

    protected internal sealed override bool Receive(object message)
    {
        var handlers = _handlers;
        for (var i = 0; i < handlers.Length; i++)
        {
            ref readonly var entry = ref handlers[i];
            if (entry.Invoker(entry.Handler, entry.Predicate, message))
            {
                return true;
            }
        }
        return false;
    }

    protected void Receive<T>(Action<T> handler, Predicate<T>? shouldHandle = null) =>
        Add(new HandlerEntry(Invokers<T>.Sync, handler, shouldHandle));

    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler) =>
        Add(new HandlerEntry(Invokers<T>.Sync, handler, shouldHandle));

    /// <summary>A handler whose task the mailbox waits for before the next user message.</summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T>? shouldHandle = null) =>
        Add(new HandlerEntry(Invokers<T>.Async, handler, shouldHandle));

    /// <summary>Takes every message that reaches it; register it last.</summary>
    protected void ReceiveAny(Action<object> handler) => Add(new HandlerEntry(Invokers<object>.Sync, handler, null));

    protected void ReceiveAnyAsync(Func<object, Task> handler) => Add(new HandlerEntry(Invokers<object>.Async, handler, null));

    /// <summary>Replaces the current behaviour with the handlers <paramref name="configure"/> registers.</summary>
    protected void Become(Action configure) => _handlers = Build(configure);

    /// <summary>Pushes a new behaviour; <see cref="UnbecomeStacked"/> returns to the previous one.</summary>
    protected void BecomeStacked(Action configure)
    {
        var next = Build(configure);
        (_behaviorStack ??= new Stack<HandlerEntry[]>()).Push(_handlers);
        _handlers = next;
    }

    /// <summary>Returns to the behaviour before the last <see cref="BecomeStacked"/>; does nothing at the bottom.</summary>
    protected void UnbecomeStacked()
    {
        if (_behaviorStack is { Count: > 0 } stack)
        {
            _handlers = stack.Pop();
        }
    }

    private HandlerEntry[] Build(Action configure)
    {
        var saved = _handlers;
        var wasConfiguring = _configuring;
        _handlers = [];
        _configuring = true;
        try
        {
            configure();
            return _handlers;
        }
        finally
        {
            // The built array was already taken as the return value; put the current behaviour back.
            _configuring = wasConfiguring;
            _handlers = saved;
        }
    }

    private void Add(HandlerEntry entry)
    {
        if (!_configuring)
        {
            throw new InvalidOperationException(
                "Receive handlers can only be registered in the constructor or inside Become/BecomeStacked");
        }
        var grown = new HandlerEntry[_handlers.Length + 1];
        _handlers.CopyTo(grown, 0);
        grown[^1] = entry;
        _handlers = grown;
    }

    private readonly record struct HandlerEntry(
        Func<Delegate, Delegate?, object, bool> Invoker, Delegate Handler, Delegate? Predicate);

    /// <summary>One shared invoker per message type, so a handler costs one array slot and the user's delegate.</summary>
    private static class Invokers<T>
    {
        public static readonly Func<Delegate, Delegate?, object, bool> Sync = static (handler, predicate, message) =>
        {
            if (message is T typed && (predicate is null || ((Predicate<T>)predicate)(typed)))
            {
                ((Action<T>)handler)(typed);
                return true;
            }
            return false;
        };

        public static readonly Func<Delegate, Delegate?, object, bool> Async = static (handler, predicate, message) =>
        {
            if (message is T typed && (predicate is null || ((Predicate<T>)predicate)(typed)))
            {
                var cell = ActorCell.Current ?? throw new InvalidOperationException("async handler outside of an actor");
                cell.RunTask(() => ((Func<T, Task>)handler)(typed));
                return true;
            }
            return false;
        };
    }
}
