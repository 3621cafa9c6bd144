using ActorRecorder.Media.Processes;

namespace ActorRecorder.Media.Tests;

/// <summary>A scratch folder per test class, and a short real recording made with ffmpeg's test sources.</summary>
public sealed class MediaFixture : IAsyncLifetime
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "ar-media-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>5 s of 320x240 H.264 + AAC in MPEG-TS, with a keyframe every second.</summary>
    public string SampleTs => Path.Combine(Directory, "sample.ts");

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        await Tool.RunAsync("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "5",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac", "-f", "mpegts", "-y", SampleTs,
        ], TimeSpan.FromSeconds(60));
    }

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}
