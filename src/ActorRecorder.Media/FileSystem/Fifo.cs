using System.Runtime.InteropServices;

namespace ActorRecorder.Media.FileSystem;

/// <summary>Named pipes (POSIX FIFOs): ffmpeg writes a size-split recording into one, the recorder reads and cuts it.</summary>
public static partial class Fifo
{
    private const int WriteOnly = 0x1;
    private const int NonBlocking = 0x800;

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MkFifo(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    /// <summary>Creates a FIFO readable and writable by the node's user only (0600), replacing whatever is at the path.</summary>
    /// <exception cref="IOException">It could not be created (the message has the OS's reason).</exception>
    public static void Create(string path)
    {
        File.Delete(path);
        if (MkFifo(path, 0b110_000_000) != 0)
        {
            throw new IOException($"mkfifo {path} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>
    /// Releases a reader blocked in opening <paramref name="path"/> when its writer never came (ffmpeg failed before it
    /// opened its output): opening the write end and closing it gives the reader an immediate end of stream. Never blocks:
    /// with no reader there (it finished meanwhile), the non-blocking open fails and nothing is to be done.
    /// </summary>
    public static void Release(string path)
    {
        var fd = Open(path, WriteOnly | NonBlocking);
        if (fd >= 0)
        {
            Close(fd);
        }
    }
}
