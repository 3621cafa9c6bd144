using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ActorRecorder.Actors.TestKit;

/// <summary>
/// Base class for actor tests on xunit: a fresh <see cref="ActorSystem"/> per test whose logs go to
/// the test output, a <see cref="TestKitBase.TestActor"/> with expectations, probes, an
/// <see cref="EventFilter"/>, and optional virtual time. The system is terminated when the test ends.
/// </summary>
public abstract class TestKit : TestKitBase, IDisposable
{
    private static int s_systemCounter;

    protected TestKit(ITestOutputHelper? output = null, bool virtualTime = false, ActorSystemSettings? settings = null)
        : this(CreateSystem(output, virtualTime ? new TestTimeProvider() : null, settings))
    {
    }

    private TestKit(ActorSystem system) : base(system, "testActor")
    {
        VirtualTime = system.Time as TestTimeProvider;
        EventFilter = new EventFilterFactory(this);
    }

    /// <summary>The system's virtual clock, or null when the test runs on real time.</summary>
    public TestTimeProvider? VirtualTime { get; }

    public EventFilterFactory EventFilter { get; }

    /// <summary>Moves virtual time forward (the kit must have been created with virtual time).</summary>
    public void Advance(TimeSpan delta) =>
        (VirtualTime ?? throw new InvalidOperationException("This TestKit runs on real time; pass virtualTime: true")).Advance(delta);

    public TestProbe CreateTestProbe(string name = "probe") => new(Sys, name);

    private static ActorSystem CreateSystem(ITestOutputHelper? output, TestTimeProvider? time, ActorSystemSettings? settings)
    {
        settings ??= new ActorSystemSettings { MinimumLogLevel = LogLevel.Debug, LogDeadLetters = 3 };
        if (output is not null)
        {
            settings = settings with { LoggerFactory = new TestOutputLoggerProvider(output) };
        }
        if (time is not null)
        {
            settings = settings with { TimeProvider = time };
        }
        return ActorSystem.Create($"test-{Interlocked.Increment(ref s_systemCounter)}", settings);
    }

    /// <summary>Terminates the system, waiting up to 10 s for every actor to stop.</summary>
    public void Dispose()
    {
        Shutdown();
        GC.SuppressFinalize(this);
    }

    protected virtual void Shutdown() =>
        Sys.Terminate().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default).GetAwaiter().GetResult();
}
