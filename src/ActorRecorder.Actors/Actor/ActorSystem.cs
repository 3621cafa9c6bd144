using ActorRecorder.Actors.Event;
using ActorRecorder.Actors.Internal;

namespace ActorRecorder.Actors;

/// <summary>
/// A hierarchy of actors with their shared services: the /user and /system guardians, dead letters,
/// the EventStream, the scheduler and logging. <see cref="Terminate"/> stops every actor, children
/// before parents, and completes <see cref="WhenTerminated"/>.
/// </summary>
public sealed class ActorSystem : IActorRefFactory, IAsyncDisposable
{
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _tempCounter;

    private ActorSystem(string name, ActorSystemSettings settings)
    {
        Name = name;
        Settings = settings;
        EventStream = new EventStream();
        Scheduler = new TimeProviderScheduler(settings.TimeProvider);
        Logging = new SystemLogging(this, settings.LoggerFactory, settings.MinimumLogLevel);
        RootCell = new ActorCell(this, null, "/", Props.Create(() => new RootGuardian()));
        var rootPath = RootCell.Path;
        DeadLetters = new DeadLetterActorRef(this, rootPath / "deadLetters");
        TempPath = rootPath / "temp";
        UserGuardian = RootCell.ActorOfReserved(
            Props.Create(() => new GuardianActor()).WithSupervisorStrategy(settings.GuardianSupervisorStrategy), "user");
        SystemGuardian = RootCell.ActorOfReserved(Props.Create(() => new GuardianActor()), "system");
        UserGuardian.SendSystem(new SysCreate());
        SystemGuardian.SendSystem(new SysCreate());
        RootCell.SendSystem(new SysCreate());
    }

    /// <summary>Creates and starts a system.</summary>
    /// <param name="name">Letters, digits, '-' and '_' only: it is part of every actor path.</param>
    public static ActorSystem Create(string name, ActorSystemSettings? settings = null)
    {
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"Invalid actor system name [{name}]: use letters, digits, '-' and '_'", nameof(name));
        }
        return new ActorSystem(name, settings ?? new ActorSystemSettings());
    }

    /// <summary>Creates a system whose settings come from <c>actor-recorder.actors</c> in <paramref name="config"/>.</summary>
    /// <param name="name">As for <see cref="Create(string, ActorSystemSettings?)"/>.</param>
    /// <param name="config">A configuration; missing keys fall back to the kernel's reference.conf.</param>
    /// <param name="configure">Adds what HOCON cannot hold (a logger factory, a time provider).</param>
    public static ActorSystem Create(string name, Hocon.Config config, Func<ActorSystemSettings, ActorSystemSettings>? configure = null)
    {
        var settings = ActorSystemSettings.FromConfig(config);
        return Create(name, configure is null ? settings : configure(settings));
    }

    public string Name { get; }

    public ActorSystemSettings Settings { get; }

    public EventStream EventStream { get; }

    public IScheduler Scheduler { get; }

    public TimeProvider Time => Settings.TimeProvider;

    /// <summary>Messages sent here are published as <see cref="DeadLetter"/>.</summary>
    public IActorRef DeadLetters { get; }

    /// <summary>Completes when every actor has stopped after <see cref="Terminate"/>.</summary>
    public Task WhenTerminated => _terminated.Task;

    internal SystemLogging Logging { get; }

    internal ActorCell RootCell { get; }

    internal ActorCell UserGuardian { get; }

    internal ActorCell SystemGuardian { get; }

    internal ActorPath TempPath { get; }

    /// <summary>Creates a top-level actor under /user.</summary>
    public IActorRef ActorOf(Props props, string? name = null) => UserGuardian.ActorOf(props, name);

    /// <summary>Creates an actor under /system (for infrastructure such as test probes and journals).</summary>
    public IActorRef SystemActorOf(Props props, string? name = null) => SystemGuardian.ActorOf(props, name);

    /// <summary>Selects actors by absolute path (<c>/user/a/b</c>, wildcards <c>*</c> and <c>?</c> allowed).</summary>
    public ActorSelection ActorSelection(string path) => new(this, RootCell, path);

    /// <summary>Stops an actor (its children first); does nothing for an actor already gone.</summary>
    public void Stop(IActorRef actor) => (actor as InternalActorRef)?.SendSystem(new SysTerminate());

    /// <summary>A logger for code outside actors whose entries also reach the EventStream.</summary>
    public Microsoft.Extensions.Logging.ILogger GetLogger(Type source) => Logging.LoggerFor(DeadLetters, source);

    /// <summary>A snapshot of the actor tree from <paramref name="path"/> (default: the root).</summary>
    public ActorTreeNode GetActorTree(string? path = null)
    {
        var cell = path is null ? RootCell : ActorSelection(path).ResolveCells().FirstOrDefault()
            ?? throw new ActorNotFoundException($"No actor at [{path}]");
        return ActorTreeNode.Of(cell);
    }

    /// <summary>Stops all actors; the returned task is <see cref="WhenTerminated"/>.</summary>
    public Task Terminate()
    {
        UserGuardian.SendSystem(new SysTerminate());
        return WhenTerminated;
    }

    public async ValueTask DisposeAsync() => await Terminate().ConfigureAwait(false);

    internal ActorPath NextTempPath() => TempPath / ("$" + Interlocked.Increment(ref _tempCounter).ToString(System.Globalization.CultureInfo.InvariantCulture));

    internal void OnRootTerminated() => _terminated.TrySetResult();

    public override string ToString() => $"ActorSystem({Name})";
}
