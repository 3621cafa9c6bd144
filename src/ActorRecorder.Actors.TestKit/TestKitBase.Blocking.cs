namespace ActorRecorder.Actors.TestKit;

/// <summary>Blocking forms of the expectations, for synchronous tests (as in Akka.NET's TestKit).</summary>
public abstract partial class TestKitBase
{
    public T ExpectMsg<T>(Predicate<T>? predicate = null, TimeSpan? timeout = null) =>
        ExpectMsgAsync<T>(predicate, timeout).GetAwaiter().GetResult();

    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null) where T : notnull =>
        ExpectMsgAsync(expected, timeout).GetAwaiter().GetResult();

    public void ExpectNoMsg(TimeSpan? duration = null) => ExpectNoMsgAsync(duration).GetAwaiter().GetResult();

    public Terminated ExpectTerminated(IActorRef actor, TimeSpan? timeout = null) =>
        ExpectTerminatedAsync(actor, timeout).GetAwaiter().GetResult();

    public object FishForMessage(Predicate<object> isTarget, TimeSpan? timeout = null) =>
        FishForMessageAsync(isTarget, timeout).GetAwaiter().GetResult();

    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? timeout = null) =>
        ReceiveNAsync(count, timeout).GetAwaiter().GetResult();

    public void Within(TimeSpan max, Action block) =>
        WithinAsync(TimeSpan.Zero, max, () => { block(); return Task.CompletedTask; }).GetAwaiter().GetResult();

    public void AwaitAssert(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null) =>
        AwaitAssertAsync(assertion, duration, interval).GetAwaiter().GetResult();

    public void AwaitCondition(Func<bool> condition, TimeSpan? duration = null, TimeSpan? interval = null) =>
        AwaitConditionAsync(condition, duration, interval).GetAwaiter().GetResult();
}
