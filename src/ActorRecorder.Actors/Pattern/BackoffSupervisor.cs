namespace ActorRecorder.Actors.Pattern;

/// <summary>
/// Supervises one child and starts it again, with exponential back-off, when it fails (OnFailure) or
/// stops (OnStop). Every other message is forwarded to the child; while there is no child they go to
/// dead letters. Answers <see cref="GetCurrentChild"/>, <see cref="GetRestartCount"/> and <see cref="Reset"/>.
/// </summary>
public sealed class BackoffSupervisor : ReceiveActor, IWithTimers
{
    private readonly BackoffOptions _options;
    private IActorRef? _child;
    private int _restartCount;
    private bool _finalStop;

    public BackoffSupervisor(BackoffOptions options)
    {
        _options = options;
        Receive<Terminated>(t => _child is not null && t.ActorRef.Equals(_child), OnChildTerminated);
        Receive<StartChild>(_ => StartChildNow());
        Receive<ResetRestartCount>(r =>
        {
            if (r.Generation == _restartCount)
            {
                _restartCount = 0;
            }
        });
        Receive<GetCurrentChild>(_ => Sender.Tell(new CurrentChild(_child), Self));
        Receive<GetRestartCount>(_ => Sender.Tell(new RestartCount(_restartCount), Self));
        Receive<Reset>(_ => _restartCount = 0);
        ReceiveAny(message =>
        {
            if (_child is not null)
            {
                _child.Forward(message);
            }
            else
            {
                Context.System.DeadLetters.Tell(message, Sender);
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props of a back-off supervisor.</summary>
    public static Props Props(BackoffOptions options) => Actors.Props.Create(() => new BackoffSupervisor(options));

    protected override void PreStart() => StartChildNow();

    protected override SupervisorStrategy SupervisorStrategy()
    {
        if (_options.Mode == BackoffMode.OnStop)
        {
            return _options.Strategy ?? Actors.SupervisorStrategy.DefaultStrategy;
        }
        var decider = (_options.Strategy ?? Actors.SupervisorStrategy.DefaultStrategy).Decider;
        // OnFailure: a failure that would restart stops the child instead, and we start it again after the delay.
        return new OneForOneStrategy(cause =>
        {
            var directive = decider(cause);
            if (directive == Directive.Restart)
            {
                return Directive.Stop;
            }
            if (directive == Directive.Stop)
            {
                _finalStop = true;
            }
            return directive;
        });
    }

    private void StartChildNow()
    {
        if (_child is not null)
        {
            return;
        }
        _child = Context.Watch(Context.ActorOf(_options.ChildProps, _options.ChildName));
        if (_restartCount > 0)
        {
            Timers.StartSingleTimer(ResetTimerKey, new ResetRestartCount(_restartCount), _options.ResetBackoffAfter);
        }
    }

    private void OnChildTerminated(Terminated terminated)
    {
        _child = null;
        Timers.Cancel(ResetTimerKey);
        if (_finalStop || (_options.MaxNrOfRetries >= 0 && _restartCount >= _options.MaxNrOfRetries))
        {
            Context.Stop(Self);
            return;
        }
        var delay = _options.DelayFor(_restartCount, Random.Shared.NextDouble());
        _restartCount++;
        Timers.StartSingleTimer(StartTimerKey, StartChild.Instance, delay);
    }

    private const string StartTimerKey = "backoff-start";
    private const string ResetTimerKey = "backoff-reset";

    private sealed class StartChild
    {
        public static readonly StartChild Instance = new();
    }

    private sealed record ResetRestartCount(int Generation);

    /// <summary>Asks for the current child; the answer is <see cref="CurrentChild"/>.</summary>
    public sealed class GetCurrentChild
    {
        public static GetCurrentChild Instance { get; } = new();
    }

    public sealed record CurrentChild(IActorRef? Ref);

    /// <summary>Asks for the restart count; the answer is <see cref="RestartCount"/>.</summary>
    public sealed class GetRestartCount
    {
        public static GetRestartCount Instance { get; } = new();
    }

    public sealed record RestartCount(int Count);

    /// <summary>Resets the back-off to its minimum.</summary>
    public sealed class Reset
    {
        public static Reset Instance { get; } = new();
    }
}
