using ActorRecorder.Actors.Event;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Actors.Internal;

/// <summary>
/// The runtime container of one actor: its mailbox, its place in the tree, its lifecycle and its
/// supervision state. The actor instance is replaced on restart; the cell (path, mailbox) stays.
/// Everything but the enqueue paths runs inside the cell's turn, one thread at a time.
/// Rarely used state lives in <see cref="CellExtras"/>, allocated on first use, to keep idle actors small.
/// </summary>
internal sealed partial class ActorCell : IActorContext
{
    private readonly ActorSystem _system;
    private readonly ActorCell? _parent;
    private readonly string _name;
    private readonly Props _props;
    private ActorBase? _actor;
    private object? _currentMessage;
    private IActorRef? _currentSender;
    private CellExtras? _extras;
    private Lifecycle _lifecycle;

    [ThreadStatic]
    private static ActorCell? t_current;

    internal ActorCell(ActorSystem system, ActorCell? parent, string name, Props props)
    {
        _system = system;
        _parent = parent;
        _name = name;
        _props = props;
        Self = new LocalActorRef(this);
        _lifecycle = Lifecycle.Creating;
    }

    internal enum Lifecycle : byte
    {
        Creating,
        Running,
        Suspended,
        Restarting,
        Terminating,
        Terminated,
    }

    /// <summary>The cell whose turn runs on this thread (also inside async handler continuations).</summary>
    internal static ActorCell? Current => t_current;

    public LocalActorRef Self { get; }

    IActorRef IActorContext.Self => Self;

    public string Name => _name;

    /// <summary>Built on demand (not cached) to keep an idle actor small; paths are not on the hot path.</summary>
    public ActorPath Path => _parent is null ? ActorPath.CreateRoot(_system.Name) : _parent.Path / _name;

    public ActorSystem System => _system;

    public Props Props => _props;

    public ActorCell? ParentCell => _parent;

    public IActorRef Parent => (IActorRef?)_parent?.Self ?? ActorRefs.Nobody;

    public IActorRef Sender => _currentSender ?? _system.DeadLetters;

    internal IActorRef? CurrentSenderOrNull => _currentSender;

    internal object? CurrentMessage => _currentMessage;

    internal ActorBase? Actor => _actor;

    internal bool IsTerminated => _lifecycle == Lifecycle.Terminated;

    internal int RestartCount => _extras?.RestartCount ?? 0;

    internal long NowTicks => _system.Time.GetUtcNow().UtcTicks;

    private CellExtras Extras => _extras ??= new CellExtras();

    public ActorSelection ActorSelection(string path) => new(_system, this, path);

    public ILogger GetLogger() => _system.Logging.LoggerFor(Self, _actor?.GetType() ?? _props.ActorType);

    public override string ToString() => $"ActorCell({Path})";

    private void Publish(object @event) => _system.EventStream.Publish(@event);

    private void LogError(Exception? cause, string message) =>
        _system.Logging.Publish(LogLevel.Error, Path.ToString(), _props.ActorType, message, cause);

    private void LogDebug(string message) =>
        _system.Logging.Publish(LogLevel.Debug, Path.ToString(), _props.ActorType, message, null);
}
