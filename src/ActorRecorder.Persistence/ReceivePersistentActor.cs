using ActorRecorder.Persistence.Internal;

namespace ActorRecorder.Persistence;

/// <summary>
/// A persistent actor whose behaviour is lists of typed handlers (Akka.NET's ReceivePersistentActor):
/// <c>Recover&lt;T&gt;</c> handlers rebuild state from replayed events (registered in the constructor),
/// <c>Command&lt;T&gt;</c> handlers take commands (in the constructor or in <see cref="Become"/>).
/// Handlers are tried in registration order.
/// </summary>
public abstract class ReceivePersistentActor : Eventsourced
{
    private readonly HandlerList _recover = new();
    private HandlerList _commands = new();
    private Stack<HandlerList>? _behaviorStack;
    private HandlerList? _configuring;

    protected ReceivePersistentActor()
    {
        _configuring = _commands;
    }

    protected sealed override bool ReceiveRecover(object message) => _recover.Invoke(message);

    protected sealed override bool ReceiveCommand(object message) => _commands.Invoke(message);

    protected void Recover<T>(Action<T> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        AddRecover(m =>
        {
            if (m is T typed && (shouldHandle is null || shouldHandle(typed)))
            {
                handler(typed);
                return true;
            }
            return false;
        });
    }

    /// <summary>A recover handler that says whether it handled the message.</summary>
    protected void Recover<T>(Func<T, bool> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        AddRecover(m => m is T typed && handler(typed));
    }

    /// <summary>Takes every replayed message that reaches it (events, <see cref="SnapshotOffer"/>, <see cref="RecoveryCompleted"/>); register it last.</summary>
    protected void RecoverAny(Action<object> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        AddRecover(m =>
        {
            handler(m);
            return true;
        });
    }

    protected void Command<T>(Action<T> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        AddCommand(m =>
        {
            if (m is T typed && (shouldHandle is null || shouldHandle(typed)))
            {
                handler(typed);
                return true;
            }
            return false;
        });
    }

    protected void Command<T>(Predicate<T> shouldHandle, Action<T> handler) => Command(handler, shouldHandle);

    /// <summary>A command handler that says whether it handled the message.</summary>
    protected void Command<T>(Func<T, bool> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        AddCommand(m => m is T typed && handler(typed));
    }

    /// <summary>Takes every command that reaches it; register it last.</summary>
    protected void CommandAny(Action<object> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        AddCommand(m =>
        {
            handler(m);
            return true;
        });
    }

    /// <summary>
    /// An async command handler: the mailbox waits for its task, its continuations run inside the
    /// actor, and the events it persisted are written when it completes.
    /// </summary>
    protected void CommandAsync<T>(Func<T, Task> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        AddCommand(m =>
        {
            if (m is T typed && (shouldHandle is null || shouldHandle(typed)))
            {
                RunAsyncCommand(() => handler(typed));
                return true;
            }
            return false;
        });
    }

    protected void CommandAnyAsync(Func<object, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        AddCommand(m =>
        {
            RunAsyncCommand(() => handler(m));
            return true;
        });
    }

    /// <summary>Replaces the command handlers with the ones <paramref name="configure"/> registers.</summary>
    protected void Become(Action configure) => _commands = Build(configure);

    /// <summary>Pushes new command handlers; <see cref="UnbecomeStacked"/> returns to the previous ones.</summary>
    protected void BecomeStacked(Action configure)
    {
        var next = Build(configure);
        (_behaviorStack ??= new Stack<HandlerList>()).Push(_commands);
        _commands = next;
    }

    protected void UnbecomeStacked()
    {
        if (_behaviorStack is { Count: > 0 } stack)
        {
            _commands = stack.Pop();
        }
    }

    internal override void OnConstructed()
    {
        _configuring = null;
        base.OnConstructed();
    }

    private HandlerList Build(Action configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var saved = _configuring;
        var list = new HandlerList();
        _configuring = list;
        try
        {
            configure();
            return list;
        }
        finally
        {
            _configuring = saved;
        }
    }

    private void AddCommand(Func<object, bool> handler) =>
        (_configuring ?? throw new InvalidOperationException(
            "Command handlers can only be registered in the constructor or inside Become/BecomeStacked")).Add(handler);

    private void AddRecover(Func<object, bool> handler)
    {
        if (!ReferenceEquals(_configuring, _commands) || _configuring is null)
        {
            throw new InvalidOperationException("Recover handlers can only be registered in the constructor");
        }
        _recover.Add(handler);
    }
}
