using Xunit.Abstractions;

namespace ActorRecorder.Actors.Tests.Actor;

public sealed class ContextSpecs(ITestOutputHelper output) : TestKit.TestKit(output)
{
    [Fact(Timeout = 10_000)]
    public async Task Context_must_expose_parent_children_and_child_by_name()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Family()), "family");
        parent.Tell("spawn", TestActor);
        var report = await ExpectMsgAsync<string>();
        Assert.Equal("children=a,b; child(a)=/user/family/a; child(zz)=nobody; parent-of-a=/user/family", report);
    }

    [Fact]
    public void ActorOf_must_refuse_a_duplicate_name()
    {
        Sys.ActorOf(Props.Create<EchoActor>(), "twin");
        var ex = Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create<EchoActor>(), "twin"));
        Assert.Contains("twin", ex.Message);
        Assert.Contains("not unique", ex.Message);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_name_must_be_free_again_as_soon_as_Terminated_is_observed()
    {
        for (var i = 0; i < 50; i++)
        {
            var actor = Sys.ActorOf(Props.Create<EchoActor>(), "reused");
            Watch(actor);
            Sys.Stop(actor);
            await ExpectTerminatedAsync(actor);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("$reserved")]
    [InlineData("has space")]
    [InlineData("slash/inside")]
    public void ActorOf_must_refuse_an_invalid_name(string name) =>
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create<EchoActor>(), name));

    [Fact(Timeout = 10_000)]
    public async Task ActorOf_without_a_name_must_generate_unique_dollar_names()
    {
        var a = Sys.ActorOf(Props.Create<EchoActor>());
        var b = Sys.ActorOf(Props.Create<EchoActor>());
        Assert.StartsWith("$", a.Path.Name);
        Assert.NotEqual(a.Path, b.Path);
        a.Tell("ok", TestActor);
        await ExpectMsgAsync("ok");
    }

    [Fact(Timeout = 10_000)]
    public async Task ActorSelection_must_find_actors_by_absolute_relative_and_wildcard_paths()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Family()), "tree");
        parent.Tell("spawn", TestActor);
        await ExpectMsgAsync<string>();
        Sys.ActorSelection("/user/tree/a").Tell("abs", TestActor);
        await ExpectMsgAsync("a:abs");
        Sys.ActorSelection("actor://" + Sys.Name + "/user/tree/b").Tell("full", TestActor);
        await ExpectMsgAsync("b:full");
        parent.Tell(("select", "a/../b"), TestActor);
        await ExpectMsgAsync("b:relative");
        Sys.ActorSelection("/user/tree/*").Tell("all", TestActor);
        var replies = (await ReceiveNAsync(2)).Cast<string>().Order().ToArray();
        Assert.Equal(["a:all", "b:all"], replies);
        var resolved = await Sys.ActorSelection("/user/tree/?").ResolveOne(TimeSpan.FromSeconds(1));
        Assert.Equal("tree", resolved.Path.Parent!.Name);
        await Assert.ThrowsAsync<ActorNotFoundException>(() => Sys.ActorSelection("/user/tree/none").ResolveOne(TimeSpan.FromSeconds(1)));
    }

    [Fact(Timeout = 10_000)]
    public async Task Identify_must_be_answered_with_the_actor_reference()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "identified");
        Sys.ActorSelection("/user/identified").Tell(new Identify(7), TestActor);
        var identity = await ExpectMsgAsync<ActorIdentity>();
        Assert.Equal(7, identity.MessageId);
        Assert.Equal(echo, identity.Subject);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_actor_tree_snapshot_must_show_paths_types_mailboxes_and_restarts()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Family()), "snap");
        parent.Tell("spawn", TestActor);
        await ExpectMsgAsync<string>();
        parent.Tell(new InvalidOperationException("restart me"), TestActor);
        await AwaitAssertAsync(() =>
        {
            var node = Sys.GetActorTree("/user/snap");
            Assert.Equal("Family", node.ActorType);
            Assert.Equal(1, node.RestartCount);
            Assert.Equal(0, node.MailboxDepth);
        });
        var root = Sys.GetActorTree();
        var paths = root.Flatten().Select(n => n.Path.ToStringWithoutAddress()).ToArray();
        Assert.Contains("/user", paths);
        Assert.Contains("/system", paths);
        Assert.Contains("/user/snap", paths);
    }

    private sealed class Family : ReceiveActor
    {
        public Family()
        {
            Receive<string>(s => s == "spawn", _ =>
            {
                var a = Context.ActorOf(Props.Create(() => new Named("a")), "a");
                Context.ActorOf(Props.Create(() => new Named("b")), "b");
                var names = string.Join(",", Context.Children.Select(c => c.Path.Name).Order());
                var missing = Context.Child("zz").IsNobody() ? "nobody" : "?";
                Sender.Tell($"children={names}; child(a)={Context.Child("a").Path.ToStringWithoutAddress()}; " +
                            $"child(zz)={missing}; parent-of-a={a.Path.Parent!.ToStringWithoutAddress()}");
            });
            Receive<(string, string)>(cmd => Context.ActorSelection(cmd.Item2).Tell("relative", Sender));
            Receive<Exception>(ex => throw ex);
        }

        protected override void PreRestart(Exception reason, object? message) { }
    }

    private sealed class Named : ReceiveActor
    {
        public Named(string name) => Receive<string>(s => Sender.Tell($"{name}:{s}"));
    }
}
