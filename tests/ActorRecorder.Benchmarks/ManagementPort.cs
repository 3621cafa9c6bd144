using System.Runtime.CompilerServices;

namespace ActorRecorder.Benchmarks;

/// <summary>
/// Nodes started by this assembly (in process, or as child processes, which inherit the environment) serve their
/// management API on a free port, not on the default 9110, so that any number of them run side by side; a spec that
/// talks to a node's API finds it through the node (in process) or its data-dir/management.address file.
/// </summary>
internal static class ManagementPort
{
    [ModuleInitializer]
    internal static void UseFreePorts()
    {
        if (Environment.GetEnvironmentVariable("ACTORRECORDER_MANAGEMENT_PORT") is null)
        {
            Environment.SetEnvironmentVariable("ACTORRECORDER_MANAGEMENT_PORT", "0");
        }
    }
}
