using System.CommandLine;
using Akka.Actor;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Hocon;
using ActorRecorder.Host;
using ActorRecorder.Host.Journal;
using ActorRecorder.Media.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorRecorder.Cli;

/// <summary>
/// <c>run --config FILE</c>: a recorder node (a Generic Host with the actor system). SIGTERM or Ctrl+C stops it
/// through Akka's coordinated shutdown — ffmpeg finishes its files, events are persisted, a cluster node hands its
/// channels off — within 10 s; editing the file adds, removes and updates channels live. A cluster node that the
/// others removed (it was frozen or cut off past failure detection) starts again as a new incarnation and rejoins.
/// </summary>
internal static class RunCommand
{
    /// <summary>
    /// The watchdog (<c>actorrecorder watchdog</c>, this program) kills the node's recordings when the node has been
    /// silent for a while: less than the time between the node's last lease renewal and the lease's expiry (ttl minus
    /// the renewal interval), less half a second for noticing and the kill itself, so a frozen node's ffmpeg is gone
    /// before another node can take its channels (2.5 s with the default 4 s ttl and 1 s renewals).
    /// </summary>
    private static RecorderWatchdog StartWatchdog(ClusterSettings cluster)
    {
        var timeout = cluster.LeaseTtl - cluster.LeaseRenewInterval - TimeSpan.FromMilliseconds(500);
        timeout = timeout < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : timeout;
        var self = Environment.ProcessPath!;
        string[] verb = ["watchdog", "--timeout", $"{(long)timeout.TotalMilliseconds}ms"];
        // Run as "dotnet actorrecorder.dll" or as its own executable.
        string[] arguments = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(RunCommand).Assembly.Location, .. verb] : verb;
        return RecorderWatchdog.Start(self, arguments, line => Console.Error.WriteLine("watchdog: " + line), heartbeat: timeout / 5);
    }

    /// <summary>A removed node waits this long before it rejoins, so a node that keeps being removed does not spin.</summary>
    private static readonly TimeSpan RejoinDelay = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var file = new Option<FileInfo>("--config") { Description = "The node's configuration file (HOCON)", Required = true };
        var command = new Command("run", "Run a recorder node with the channels in the configuration file");
        command.Options.Add(file);
        command.SetAction((parseResult, _) => RunAsync(parseResult.GetValue(file)!.FullName));
        return command;
    }

    private static async Task<int> RunAsync(string configPath)
    {
        RecorderWatchdog? watchdog = null;
        try
        {
            return await RunNodeAsync(configPath, settings => watchdog ??= StartWatchdog(settings.Cluster));
        }
        finally
        {
            if (watchdog is not null)
            {
                await watchdog.DisposeAsync();
            }
        }
    }

    private static async Task<int> RunNodeAsync(string configPath, Func<NodeSettings, RecorderWatchdog> watchdog)
    {
        while (true)
        {
            IHost host;
            try
            {
                var (settings, config) = RecorderHost.Load(configPath);
                // A cluster node's ffmpeg processes are watched from outside: if the node freezes or dies, its channels move
                // to other nodes, and its recordings must not go on beside theirs.
                var watch = settings.Cluster.IsSingleNode ? null : watchdog(settings);
                host = await RecorderHost.BuildAsync(settings, config, configPath, logging => ConsoleLogging.Configure(logging),
                    watch is null ? null : services => services with { Watch = watch });
            }
            catch (Exception ex) when (ex is ConfigException or JournalRefusedException)
            {
                await Console.Error.WriteLineAsync("error: " + ex.Message);
                return 1;
            }
            var shutdown = CoordinatedShutdown.Get(host.Services.GetRequiredService<ActorSystem>());
            await host.RunAsync(); // the console lifetime turns SIGTERM / Ctrl+C into a graceful stop; disposes the host
            var reason = shutdown.ShutdownReason;
            if (reason is not CoordinatedShutdown.ClusterDowningReason)
            {
                return 0;
            }
            await Console.Error.WriteLineAsync("the cluster removed this node (it was unreachable past failure detection): starting again to rejoin");
            await Task.Delay(RejoinDelay);
        }
    }
}
