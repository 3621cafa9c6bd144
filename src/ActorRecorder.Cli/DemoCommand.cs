using System.CommandLine;
using ActorRecorder.Actors;
using Spectre.Console;

namespace ActorRecorder.Cli;

/// <summary>
/// <c>actorrecorder demo</c>. The recording demo comes with the recording engine; until then it shows
/// what exists: the actor kernel supervising a small tree, restarting a failed actor and stopping cleanly.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "Shows what this build can do (today: the actor kernel at work)");
        command.SetAction((_, cancellationToken) => RunAsync(cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLine("[yellow]This build has the actor kernel and the HOCON configuration; the recording engine is not built yet.[/]");
        AnsiConsole.MarkupLine("Showing the kernel: a supervisor with three workers, one of which fails and is restarted.\n");
        await using var system = ActorSystem.Create("demo");
        var supervisor = system.ActorOf(Props.Create(() => new DemoSupervisor()), "channels");
        foreach (var name in new[] { "alice", "bob", "carol" })
        {
            await supervisor.Ask<string>(name, TimeSpan.FromSeconds(5), cancellationToken);
        }
        var bob = await system.ActorSelection("/user/channels/bob").ResolveOne(TimeSpan.FromSeconds(1));
        AnsiConsole.MarkupLine($"bob answers: [green]{await bob.Ask<string>("status", TimeSpan.FromSeconds(5), cancellationToken)}[/]");
        bob.Tell("fail");
        AnsiConsole.MarkupLine("bob was told to fail; the supervisor's strategy restarts him with a fresh state.");
        AnsiConsole.MarkupLine($"bob answers: [green]{await bob.Ask<string>("status", TimeSpan.FromSeconds(5), cancellationToken)}[/]\n");
        AnsiConsole.Write(Render(system.GetActorTree("/user")));
        AnsiConsole.WriteLine();
        var stopped = await supervisor.GracefulStop(TimeSpan.FromSeconds(5));
        AnsiConsole.MarkupLine($"Stopped the supervisor and its workers gracefully: [green]{stopped}[/]");
        return 0;
    }

    private static Tree Render(ActorTreeNode root)
    {
        var tree = new Tree(Describe(root));
        AddChildren(tree, root);
        return tree;
    }

    private static void AddChildren(IHasTreeNodes parent, ActorTreeNode node)
    {
        foreach (var child in node.Children)
        {
            AddChildren(parent.AddNode(Describe(child)), child);
        }
    }

    private static string Describe(ActorTreeNode node) =>
        $"[bold]{Markup.Escape(node.Path.ToStringWithoutAddress())}[/] {Markup.Escape(node.ActorType)} " +
        $"(mailbox {node.MailboxDepth}, restarts {node.RestartCount})";

    private sealed class DemoSupervisor : ReceiveActor
    {
        public DemoSupervisor() => Receive<string>(name =>
        {
            Context.ActorOf(Props.Create(() => new Worker()), name);
            Sender.Tell(name);
        });
    }

    private sealed class Worker : ReceiveActor
    {
        private readonly int _incarnation = Random.Shared.Next(1000, 9999);
        private int _requests;

        public Worker()
        {
            Receive<string>(s => s == "fail", _ => throw new InvalidOperationException("simulated failure"));
            Receive<string>(_ => Sender.Tell($"incarnation {_incarnation}, {++_requests} request(s) served"));
        }
    }
}
