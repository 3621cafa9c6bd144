using ActorRecorder.Actors.TestKit;
using Xunit.Abstractions;

namespace ActorRecorder.Actors.Tests.Kit;

public sealed class TestKitSpecs(ITestOutputHelper output) : Actors.TestKit.TestKit(output)
{
    [Fact(Timeout = 10_000)]
    public async Task ExpectMsg_must_fail_with_a_message_that_names_the_expected_type_and_the_wait()
    {
        var ex = await Assert.ThrowsAsync<TestKitAssertionException>(() => ExpectMsgAsync<string>(timeout: TimeSpan.FromMilliseconds(50)));
        Assert.Contains("String", ex.Message);
        Assert.Contains("0.05 s", ex.Message);
    }

    [Fact(Timeout = 10_000)]
    public async Task ExpectMsg_must_fail_for_a_message_of_another_type()
    {
        TestActor.Tell(1);
        var ex = await Assert.ThrowsAsync<TestKitAssertionException>(() => ExpectMsgAsync<string>());
        Assert.Contains("Int32", ex.Message);
    }

    [Fact(Timeout = 10_000)]
    public async Task ExpectNoMsg_must_fail_when_a_message_arrives()
    {
        TestActor.Tell("surprise");
        var ex = await Assert.ThrowsAsync<TestKitAssertionException>(() => ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100)));
        Assert.Contains("surprise", ex.Message);
    }

    [Fact(Timeout = 10_000)]
    public async Task FishForMessage_must_skip_until_the_predicate_holds()
    {
        foreach (var i in new[] { 1, 2, 3, 4 })
        {
            TestActor.Tell(i);
        }
        Assert.Equal(3, await FishForMessageAsync(m => m is 3));
        await ExpectMsgAsync(4);
    }

    [Fact(Timeout = 10_000)]
    public async Task Within_must_bound_the_expectations_inside_it()
    {
        var probe = CreateTestProbe();
        var ex = await Assert.ThrowsAsync<TestKitAssertionException>(() =>
            probe.WithinAsync(TimeSpan.FromMilliseconds(200), () => probe.ExpectMsgAsync<string>()));
        Assert.Contains("0.2", ex.Message);
        await probe.WithinAsync(TimeSpan.FromSeconds(1), async () =>
        {
            probe.Tell("in time");
            await probe.ExpectMsgAsync("in time");
        });
    }

    [Fact(Timeout = 10_000)]
    public async Task AwaitAssert_must_retry_until_the_assertion_passes()
    {
        var attempts = 0;
        await AwaitAssertAsync(() => Assert.True(++attempts >= 3));
        Assert.Equal(3, attempts);
        await Assert.ThrowsAsync<TestKitAssertionException>(() =>
            AwaitConditionAsync(() => false, TimeSpan.FromMilliseconds(100), message: "never"));
    }

    [Fact]
    public void Blocking_expectations_must_work_like_the_async_ones()
    {
        var probe = CreateTestProbe();
        probe.Tell("a");
        probe.Tell("b");
        Assert.Equal("a", probe.ExpectMsg<string>());
        Assert.Equal(["b"], probe.ReceiveN(1));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact(Timeout = 10_000)]
    public async Task Probes_must_reply_to_the_last_sender()
    {
        var probe = CreateTestProbe();
        var asking = probe.Ref.Ask<string>("question", TimeSpan.FromSeconds(3));
        await probe.ExpectMsgAsync("question");
        probe.Reply("answer");
        Assert.Equal("answer", await asking);
    }

    [Fact]
    public void Virtual_time_must_fire_timers_in_due_order_only_when_advanced()
    {
        var time = new TestTimeProvider();
        var fired = new List<string>();
        using var late = time.CreateTimer(_ => fired.Add("late"), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        using var early = time.CreateTimer(_ => fired.Add("early"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var periodic = time.CreateTimer(_ => fired.Add("tick"), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        var start = time.GetUtcNow();
        Assert.Empty(fired);
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(["early", "tick", "tick", "late", "tick"], fired);
        Assert.Equal(start + TimeSpan.FromSeconds(6), time.GetUtcNow());
        periodic.Dispose();
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(5, fired.Count);
    }
}
