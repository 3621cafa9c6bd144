namespace ActorRecorder.Media.Ffmpeg;

/// <summary>One block of ffmpeg's <c>-progress</c> output.</summary>
/// <param name="TotalSize">Bytes written so far (all segments), when known.</param>
/// <param name="OutTime">Media time written so far, when known.</param>
/// <param name="Frame">Video frames written, when there is video.</param>
/// <param name="Speed">Speed relative to real time (1.0 = live pace), when known.</param>
/// <param name="Ended">True for the last block (<c>progress=end</c>).</param>
public sealed record FfmpegProgress(long? TotalSize, TimeSpan? OutTime, long? Frame, double? Speed, bool Ended);
