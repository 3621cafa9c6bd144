using System.CommandLine;
using System.Runtime.InteropServices;
using Akka.Actor;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Hocon;
using ActorRecorder.Host;
using ActorRecorder.Host.Journal;
using ActorRecorder.Host.Leases;
using ActorRecorder.Media.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

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
    /// <remarks>It is also given the database of the node's leases, to release them when the node dies (WatchdogCommand).</remarks>
    private static RecorderWatchdog StartWatchdog(NodeSettings settings)
    {
        var cluster = settings.Cluster;
        var timeout = cluster.LeaseTtl - cluster.LeaseRenewInterval - TimeSpan.FromMilliseconds(500);
        timeout = timeout < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : timeout;
        var self = Environment.ProcessPath!;
        string[] verb = ["watchdog", "--timeout", $"{(long)timeout.TotalMilliseconds}ms"];
        // Run as "dotnet actorrecorder.dll" or as its own executable.
        string[] arguments = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(RunCommand).Assembly.Location, .. verb] : verb;
        var environment = new Dictionary<string, string?> { [WatchdogCommand.LeaseDatabaseVariable] = settings.Journal.PostgresConnectionString };
        return RecorderWatchdog.Start(self, arguments, line => Console.Error.WriteLine("watchdog: " + line), heartbeat: timeout / 5,
            environment: environment);
    }

    /// <summary>A removed node waits this long before it rejoins, so a node that keeps being removed does not spin.</summary>
    private static readonly TimeSpan RejoinDelay = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var command = new Command("run", "Run a recorder node with the channels in the configuration file (--config)");
        GlobalOptions.RequireConfig(command, "the node's configuration file");
        command.SetAction((parseResult, _) => RunAsync(parseResult.GetValue(GlobalOptions.Config)!.FullName));
        return command;
    }

    private static async Task<int> RunAsync(string configPath)
    {
        RecorderWatchdog? watchdog = null;
        try
        {
            return await RunNodeAsync(configPath, settings => watchdog ??= StartWatchdog(settings));
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
        // A stop asked for at any moment ends the loop, also one that comes while the node is being removed or rejoins
        // (the running host's own handler makes it a graceful stop).
        using var stopping = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stopping));
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stopping));
        var rejoins = 0;
        while (true)
        {
            IHost host;
            NodeSettings settings;
            string? postgres = null;
            try
            {
                (settings, var config) = RecorderHost.Load(configPath);
                postgres = settings.Journal.PostgresConnectionString;
                // A cluster node's ffmpeg processes are watched from outside: if the node freezes or dies, its channels move
                // to other nodes, and its recordings must not go on beside theirs.
                var watch = settings.Cluster.IsSingleNode ? null : watchdog(settings);
                host = await RecorderHost.BuildAsync(settings, config, configPath, logging => ConsoleLogging.Configure(logging),
                    watch is null ? null : services => services with { Watch = watch });
            }
            catch (Exception ex) when (ex is ConfigException or JournalRefusedException || (ex is PortInUseException && rejoins == 0))
            {
                await Console.Error.WriteLineAsync("error: " + ex.Message);
                return 1;
            }
            catch (Exception ex) when (postgres is not null && IsDatabaseDown(ex) && !stopping.IsCancellationRequested)
            {
                // A node started while PostgreSQL restarts (a deploy during the database's maintenance) waits for it.
                await Console.Error.WriteLineAsync($"PostgreSQL does not answer ({ex.Message}): waiting for it before starting");
                if (!await WaitForDatabaseAsync(postgres, stopping.Token))
                {
                    return 0;
                }
                await Console.Error.WriteLineAsync("PostgreSQL answers: starting");
                continue;
            }
            catch (Exception ex) when (rejoins > 0 && !stopping.IsCancellationRequested)
            {
                // Rejoining after a removal: the database or the port may be briefly unavailable; the node keeps trying.
                await Console.Error.WriteLineAsync($"could not start again ({ex.Message}): trying again");
                if (!await DelayAsync(RejoinDelay * Math.Min(1 << Math.Min(rejoins++, 5), 30), stopping.Token))
                {
                    return 0;
                }
                continue;
            }
            var system = host.Services.GetRequiredService<ActorSystem>();
            if (!settings.Cluster.IsSingleNode)
            {
                watchdog(settings).LeasesHeldAs(PostgresLease.HolderOf(system));
            }
            var shutdown = CoordinatedShutdown.Get(system);
            var database = host.Services.GetRequiredService<DatabaseHealth>();
            try
            {
                await host.RunAsync(stopping.Token); // SIGTERM / Ctrl+C (also one during start) is a graceful stop; disposes the host
            }
            catch (Exception ex) when (rejoins == 0 && PortInUseException.IsAddressInUse(ex))
            {
                // Taken between the check and the listener's start.
                await Console.Error.WriteLineAsync("error: a port the node listens on was taken as it started: " + ex.Message);
                return 1;
            }
            // Removed by the others (downed), or left on its own because it lost the database while they did not.
            var removed = shutdown.ShutdownReason is CoordinatedShutdown.ClusterDowningReason
                || (shutdown.ShutdownReason is CoordinatedShutdown.ClusterLeavingReason && database.GaveUp is not null);
            if (!removed || stopping.IsCancellationRequested)
            {
                return 0;
            }
            if (database.GaveUp is { } reason)
            {
                await Console.Error.WriteLineAsync($"this node gave its channels up ({reason}): it rejoins once PostgreSQL answers it");
                if (!await WaitForDatabaseAsync(settings.Journal.PostgresConnectionString!, stopping.Token))
                {
                    return 0;
                }
                await Console.Error.WriteLineAsync("PostgreSQL answers this node again: starting again to rejoin");
            }
            else
            {
                await Console.Error.WriteLineAsync("the cluster removed this node (it was unreachable past failure detection): starting again to rejoin");
            }
            rejoins = 1;
            if (!await DelayAsync(RejoinDelay, stopping.Token))
            {
                return 0;
            }
        }
    }

    /// <summary>
    /// PostgreSQL did not answer (refused, unreachable, timed out, shutting down or starting up), as opposed to an answer
    /// that refuses this node (a wrong password, a missing database), which waiting does not mend.
    /// </summary>
    private static bool IsDatabaseDown(Exception ex) => ex switch
    {
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.AdminShutdown
            or PostgresErrorCodes.CrashShutdown,
        NpgsqlException or TimeoutException or System.Net.Sockets.SocketException => true,
        _ => ex.InnerException is { } inner && IsDatabaseDown(inner),
    };

    /// <summary>
    /// Asks PostgreSQL a trivial query until it answers (each try waits at most 3 s; between tries 1 s doubling to 16 s,
    /// spread by ±50 % so the nodes of a cluster that all gave up do not knock at once); false when a stop was asked for.
    /// </summary>
    private static async Task<bool> WaitForDatabaseAsync(string connectionString, CancellationToken stopping)
    {
        var probe = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 3, CommandTimeout = 3, Pooling = false }.ToString();
        for (var attempt = 0; !stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(probe);
                await connection.OpenAsync(stopping);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(stopping);
                return true;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException && !stopping.IsCancellationRequested)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(16, 1 << Math.Min(attempt, 4)) * (0.5 + Random.Shared.NextDouble()));
                if (!await DelayAsync(delay, stopping))
                {
                    return false;
                }
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
        return false;
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stopping)
    {
        context.Cancel = true; // the process ends through the loop (and the host's graceful stop), not at once
        try
        {
            stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The handler ran late (on a busy thread pool): the host's own handler stopped the node and the loop has ended.
        }
    }

    /// <summary>Waits; false when a stop was asked for meanwhile.</summary>
    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
