namespace ActorRecorder.Media.Processes;

/// <summary>
/// Told when a recording process starts and when it has exited, so that something outside the node can end it if the
/// node dies or freezes (<see cref="RecorderWatchdog"/>). Implementations are thread-safe, return at once and never
/// throw: the recorder calls them from its actor.
/// </summary>
public interface IRecorderWatch
{
    /// <summary>The process <paramref name="pid"/> started recording: it must not outlive the node, nor record on while the node is frozen.</summary>
    void Started(int pid);

    /// <summary>The process <paramref name="pid"/> has exited, or the node is killing it: forget it (its pid may be reused).</summary>
    void Exited(int pid);
}
