using ActorRecorder.Actors.Event;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Actors.Internal;

/// <summary>
/// Creation, failure, restart and termination. A failure suspends the actor and asks the parent,
/// whose strategy answers with resume, restart (new instance, same path and mailbox, the failing
/// message dropped) or stop. A restart or stop waits for the children being stopped to be gone.
/// </summary>
internal sealed partial class ActorCell
{
    private void Create()
    {
        if (_lifecycle != Lifecycle.Creating)
        {
            return;
        }
        try
        {
            _actor = NewActor();
            _lifecycle = Lifecycle.Running;
            _actor.AroundPreStart();
        }
        catch (Exception ex)
        {
            FailInitialization(ex);
        }
    }

    private ActorBase NewActor()
    {
        var previous = t_constructing;
        var previousCurrent = t_current;
        t_constructing = this;
        t_current = this;
        try
        {
            var actor = _props.Factory();
            if (!ReferenceEquals(actor.Cell, this))
            {
                throw new ActorInitializationException(Self, "the Props factory must create a new actor instance", null);
            }
            actor.OnConstructed();
            if (actor is IWithStash withStash)
            {
                withStash.Stash = new ActorStash(this);
            }
            if (actor is IWithTimers withTimers)
            {
                withTimers.Timers = new TimerScheduler(this);
            }
            return actor;
        }
        finally
        {
            t_constructing = previous;
            t_current = previousCurrent;
        }
    }

    private void FailInitialization(Exception ex)
    {
        var cause = ex as ActorInitializationException
            ?? new ActorInitializationException(Self, $"Exception during creation of [{Path}]: {ex.Message}", ex);
        _lifecycle = Lifecycle.Suspended;
        ReportFailure(cause);
    }

    /// <summary>A message handler (or its task) threw: suspend and let the parent decide.</summary>
    private void HandleInvokeFailure(Exception cause)
    {
        if (_lifecycle != Lifecycle.Running)
        {
            LogError(cause, "an actor that is not running failed");
            return;
        }
        _lifecycle = Lifecycle.Suspended;
        ReportFailure(cause);
    }

    private void ReportFailure(Exception cause)
    {
        if (_parent is null)
        {
            LogError(cause, "the root guardian failed; terminating the system");
            Terminate();
            return;
        }
        _parent.SendSystem(new SysFailed(this, cause));
    }

    private void HandleChildFailure(ActorCell child, Exception cause)
    {
        if (_lifecycle is Lifecycle.Terminating or Lifecycle.Terminated || !IsChild(child)
            || _extras?.StoppingChildren?.Contains(child) == true)
        {
            return;
        }
        var strategy = _props.SupervisorStrategy ?? _actor?.SupervisorStrategyInternal() ?? SupervisorStrategy.DefaultStrategy;
        Directive directive;
        try
        {
            directive = strategy.Decider(cause);
        }
        catch (Exception deciderFailure)
        {
            LogError(deciderFailure, "the supervisor strategy's decider threw; escalating");
            directive = Directive.Escalate;
        }
        if (directive == Directive.Escalate)
        {
            HandleInvokeFailureFromChild(cause);
            return;
        }
        var level = directive == Directive.Resume ? LogLevel.Warning : LogLevel.Error;
        _system.Logging.Publish(level, child.Path.ToString(), child._props.ActorType,
            $"{cause.GetType().Name}: {cause.Message} ({directive})", cause);
        strategy.Handle(this, child, cause, directive);
    }

    private void HandleInvokeFailureFromChild(Exception cause)
    {
        if (_lifecycle is Lifecycle.Running or Lifecycle.Suspended)
        {
            _lifecycle = Lifecycle.Suspended;
            ReportFailure(cause);
        }
    }

    private void Recreate(Exception cause)
    {
        if (_lifecycle is Lifecycle.Terminating or Lifecycle.Terminated or Lifecycle.Creating)
        {
            return;
        }
        var failed = _actor;
        if (failed is not null)
        {
            try
            {
                // Stashed messages go back to the mailbox so the new instance sees them.
                if ((failed as IWithStash)?.Stash is ActorStash stash)
                {
                    stash.UnstashAll();
                }
                CancelTimers(failed);
                failed.AroundPreRestart(cause, _currentMessage);
            }
            catch (Exception ex)
            {
                LogError(ex, "PreRestart threw; restarting anyway");
            }
        }
        if (_extras is not null)
        {
            _extras.PendingTask = null;
        }
        ClearCurrentMessage();
        _actor = null;
        if (_extras?.StoppingChildren is { Count: > 0 })
        {
            _lifecycle = Lifecycle.Restarting;
            Extras.PendingRecreateCause = cause;
            return;
        }
        FinishRecreate(cause);
    }

    private void FinishRecreate(Exception cause)
    {
        if (_extras is not null)
        {
            _extras.PendingRecreateCause = null;
        }
        try
        {
            _lifecycle = Lifecycle.Running;
            _actor = NewActor();
            Extras.RestartCount++;
            _actor.AroundPostRestart(cause);
        }
        catch (Exception ex)
        {
            FailInitialization(ex);
        }
    }

    private void Terminate()
    {
        if (_lifecycle is Lifecycle.Terminating or Lifecycle.Terminated)
        {
            return;
        }
        _lifecycle = Lifecycle.Terminating;
        _extras?.ReceiveTimeout?.Dispose();
        foreach (var child in ChildCells())
        {
            StopChild(child);
        }
        if (!HasChildren)
        {
            FinishTerminate();
        }
    }

    private void FinishTerminate()
    {
        var actor = _actor;
        if (actor is not null)
        {
            try
            {
                actor.AroundPostStop();
            }
            catch (Exception ex)
            {
                LogError(ex, "PostStop threw");
            }
            CancelTimers(actor);
            if ((actor as IWithStash)?.Stash is ActorStash stash)
            {
                foreach (var envelope in stash.Clear())
                {
                    _system.DeadLetters.Tell(new DeadLetter(envelope.Message, envelope.Sender, Self), envelope.Sender);
                }
            }
        }
        _actor = null;
        ClearCurrentMessage();
        _lifecycle = Lifecycle.Terminated;
        CloseMailbox();
        // Free the name before anyone hears of the death, so a watcher may reuse it at once.
        _parent?.ReleaseChildName(this);
        TellWatchersAndUnwatchAll();
        if (_extras is not null)
        {
            _extras.PendingTask = null;
            _extras.SyncContext = null;
        }
        if (_parent is not null)
        {
            _parent.SendSystem(new SysChildTerminated(this));
        }
        else
        {
            _system.OnRootTerminated();
        }
    }

    private static void CancelTimers(ActorBase actor)
    {
        if ((actor as IWithTimers)?.Timers is TimerScheduler timers)
        {
            timers.CancelAll();
        }
    }
}
