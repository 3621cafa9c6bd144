using ActorRecorder.Actors.Event;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ActorRecorder.Actors.Tests.Event;

public sealed class EventStreamSpecs(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private sealed record Animal(string Name);

    [Fact(Timeout = 10_000)]
    public async Task EventStream_must_deliver_events_to_subscribers_of_the_type_or_a_base_type()
    {
        var animals = CreateTestProbe();
        var everything = CreateTestProbe();
        Assert.True(Sys.EventStream.Subscribe(animals.Ref, typeof(Animal)));
        Assert.False(Sys.EventStream.Subscribe(animals.Ref, typeof(Animal)));
        Sys.EventStream.Subscribe(everything.Ref, typeof(object));
        Sys.EventStream.Publish(new Animal("cat"));
        Sys.EventStream.Publish("not an animal");
        Assert.Equal("cat", (await animals.ExpectMsgAsync<Animal>()).Name);
        await animals.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        await everything.FishForMessageAsync(m => m is "not an animal");
    }

    [Fact(Timeout = 10_000)]
    public async Task EventStream_must_stop_delivering_after_unsubscribe()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(Animal));
        Assert.True(Sys.EventStream.Unsubscribe(probe.Ref, typeof(Animal)));
        Sys.EventStream.Publish(new Animal("dog"));
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact(Timeout = 10_000)]
    public async Task Actor_logs_must_be_published_as_LogEvents_with_their_source()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(LogEvent));
        var actor = Sys.ActorOf(Props.Create(() => new Chatty()), "chatty");
        actor.Tell("hello", TestActor);
        var log = (LogEvent)await probe.FishForMessageAsync(m => m is LogEvent { Level: LogLevel.Warning });
        Assert.Equal("heard hello", log.Message);
        Assert.EndsWith("/user/chatty", log.LogSource);
        Assert.Equal(typeof(Chatty), log.LogClass);
    }

    [Fact(Timeout = 10_000)]
    public async Task EventFilter_must_fail_when_the_expected_entry_does_not_come()
    {
        var ex = await Assert.ThrowsAsync<TestKit.TestKitAssertionException>(() =>
            EventFilter.Warning("never logged").ExpectAsync(() => Task.CompletedTask, TimeSpan.FromMilliseconds(200)));
        Assert.Contains("never logged", ex.Message);
    }

    [Fact(Timeout = 10_000)]
    public async Task EventFilter_must_count_occurrences()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Chatty()));
        await EventFilter.Warning("heard", occurrences: 3).ExpectAsync(() =>
        {
            for (var i = 0; i < 3; i++)
            {
                actor.Tell($"m{i}", TestActor);
            }
            return Task.CompletedTask;
        });
        await Assert.ThrowsAsync<TestKit.TestKitAssertionException>(() =>
            EventFilter.Warning("heard", occurrences: 1).ExpectAsync(async () =>
            {
                actor.Tell("x", TestActor);
                actor.Tell("y", TestActor);
                // Answered after both messages were processed, so both entries are already published.
                await actor.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(3));
            }));
    }

    private sealed class Chatty : ReceiveActor
    {
        public Chatty()
        {
            var log = Context.GetLogger();
            Receive<string>(s => log.LogWarning("heard {Message}", s));
        }
    }
}
