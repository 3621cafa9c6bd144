using System.Collections.Concurrent;

namespace ActorRecorder.Media.FileSystem;

/// <summary>
/// Free space per folder, measured on a <see cref="BlockingIo"/> thread and shared: the channels recording into one folder
/// (a node's thousands, usually) ask it one at a time, so a measurement not older than <see cref="MaxAge"/>, or the one in
/// flight, answers all of them. A folder on a mount that hangs then holds one thread, whatever the number of channels.
/// Thread-safe.
/// </summary>
public sealed class FreeSpaceGauge(Func<string, long> measure, TimeProvider time)
{
    /// <summary>How old a measurement may be and still answer.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, (Task<long> Measurement, long StartedAt)> _folders = new(StringComparer.Ordinal);

    /// <summary>The free bytes for unprivileged users on the file system holding <paramref name="folder"/>; faults as the measurement does.</summary>
    public Task<long> FreeBytesAsync(string folder)
    {
        var now = time.GetTimestamp();
        var entry = _folders.AddOrUpdate(folder,
            _ => (BlockingIo.Run(() => measure(folder)), now),
            (_, known) => !known.Measurement.IsCompleted || time.GetElapsedTime(known.StartedAt, now) <= MaxAge
                ? known
                : (BlockingIo.Run(() => measure(folder)), now));
        return entry.Measurement;
    }
}
