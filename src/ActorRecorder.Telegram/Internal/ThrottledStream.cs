namespace ActorRecorder.Telegram.Internal;

/// <summary>A read-only stream that paces asynchronous reads through a <see cref="SpeedLimiter"/>.</summary>
/// <remarks>Seekable when the inner stream is, so <c>StreamContent</c> still sends a Content-Length.</remarks>
internal sealed class ThrottledStream(Stream inner, SpeedLimiter limiter) : Stream
{
    /// <summary>Small reads keep the pacing smooth; 64 KiB at 1 MB/s is a 65 ms step.</summary>
    public const int MaxChunk = 64 * 1024;

    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, MaxChunk)], cancellationToken).ConfigureAwait(false);
        if (read > 0)
            await limiter.WaitAsync(read, cancellationToken).ConfigureAwait(false);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // A synchronous read would have to block to pace; HttpClient.SendAsync reads asynchronously.
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("ThrottledStream is read asynchronously only (HttpClient.SendAsync).");

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException("ThrottledStream is read-only.");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("ThrottledStream is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
