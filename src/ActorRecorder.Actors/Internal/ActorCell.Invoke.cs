namespace ActorRecorder.Actors.Internal;

/// <summary>Delivering one user message to the actor, and the async-handler protocol.</summary>
internal sealed partial class ActorCell
{
    [ThreadStatic]
    private static ActorCell? t_constructing;

    /// <summary>The cell whose actor's constructor is running on this thread.</summary>
    internal static ActorCell? Constructing => t_constructing;

    private void Invoke(object message, IActorRef? sender)
    {
        _currentMessage = message;
        _currentSender = sender;
        try
        {
            // Re-armed before the handler runs, so a handler that changes the timeout has the last word.
            if (_extras?.ReceiveTimeout is { } receiveTimeout && message is not INotInfluenceReceiveTimeout)
            {
                receiveTimeout.Reset();
            }
            if (message is IAutoReceivedMessage)
            {
                AutoReceive(message);
            }
            else
            {
                _actor!.AroundReceive(message);
            }
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(ex);
        }
        finally
        {
            // Kept while a task runs (continuations see the same Sender) and after a failure (PreRestart gets the message).
            if (_extras?.PendingTask is null && _lifecycle != Lifecycle.Suspended)
            {
                ClearCurrentMessage();
            }
        }
    }

    private void AutoReceive(object message)
    {
        switch (message)
        {
            case PoisonPill:
                Stop(Self);
                break;
            case Kill:
                throw new ActorKilledException("Kill");
            case Terminated terminated:
                if (_extras?.TerminatedQueued?.Remove(terminated.ActorRef) == true)
                {
                    _actor!.AroundReceive(terminated);
                }
                break;
            case Identify identify:
                Sender.Tell(new ActorIdentity(identify.MessageId, Self), Self);
                break;
            case TimerMessage timer:
                if (timer.Owner.TryConsume(timer) && ReferenceEquals(timer.Owner, (_actor as IWithTimers)?.Timers))
                {
                    _actor!.AroundReceive(timer.Message);
                }
                break;
            case ReceiveTimeoutTick tick:
                if (_extras?.ReceiveTimeout is { } state && state.Generation == tick.Generation)
                {
                    _actor!.AroundReceive(Actors.ReceiveTimeout.Instance);
                    state.Reset();
                }
                break;
        }
    }

    /// <summary>
    /// Runs an async handler. A task that is not complete at once suspends user messages until it
    /// is; its continuations are posted back as system messages and run inside this actor's turn.
    /// </summary>
    internal void RunTask(Func<Task> start)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(Extras.SyncContext ??= new ActorSynchronizationContext(this));
        Task task;
        try
        {
            task = start();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
        if (task.IsCompleted)
        {
            task.GetAwaiter().GetResult();
            return;
        }
        Extras.PendingTask = task;
        task.ContinueWith(
            static (t, state) => ((ActorCell)state!).SendSystem(new SysTaskCompleted(t)),
            this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void OnTaskCompleted(Task task)
    {
        if (_extras is null || !ReferenceEquals(_extras.PendingTask, task))
        {
            return; // abandoned by a restart or stop
        }
        _extras.PendingTask = null;
        try
        {
            if (task.IsFaulted)
            {
                var inner = task.Exception!.InnerExceptions;
                HandleInvokeFailure(inner.Count == 1 ? inner[0] : task.Exception);
            }
            else if (task.IsCanceled)
            {
                HandleInvokeFailure(new TaskCanceledException(task));
            }
        }
        finally
        {
            if (_lifecycle != Lifecycle.Suspended)
            {
                ClearCurrentMessage();
            }
        }
    }

    private void ClearCurrentMessage()
    {
        _currentMessage = null;
        _currentSender = null;
    }

    private void RunContinuation(SysContinuation continuation)
    {
        if (_lifecycle == Lifecycle.Terminated)
        {
            return;
        }
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(Extras.SyncContext ??= new ActorSynchronizationContext(this));
        try
        {
            continuation.Callback(continuation.State);
        }
        catch (Exception ex)
        {
            LogError(ex, "an async continuation threw outside of its task");
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }
}

/// <summary>Posts continuations of an actor's async handlers back into the actor's mailbox.</summary>
internal sealed class ActorSynchronizationContext(ActorCell cell) : SynchronizationContext
{
    public override void Post(SendOrPostCallback d, object? state) => cell.SendSystem(new SysContinuation(d, state));

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Synchronous Send into an actor would deadlock; use Post");

    public override SynchronizationContext CreateCopy() => this;
}
