using System.Globalization;

namespace ActorRecorder.Media.Ffmpeg;

/// <summary>
/// Cuts an MPEG-TS stream (ffmpeg's <c>-f mpegts</c> output) into segment files by size (<c>recording.segment-size</c>) and
/// duration, the way ffmpeg's segment muxer cuts by duration alone: a file ends at the first video keyframe (a packet
/// starting a video PES with the random-access flag, which ffmpeg's muxer sets on keyframes) after it passed the size or
/// the duration; audio-only streams cut at an audio PES start. Each new file starts with the stream's last PAT and PMT, so
/// it plays on its own, and the bytes are cut on packet boundaries, so nothing falls between two files. Each finished
/// file is listed in the request's segment list exactly as ffmpeg lists its segments (<c>name,start,end</c>, seconds).
/// </summary>
public sealed class TsSegmenter
{
    private const int PacketSize = 188;
    private const byte Sync = 0x47;
    private const long PtsWrap = 1L << 33;

    private readonly RecordingRequest _request;
    private readonly long _maxBytes;
    private byte[]? _pat;
    private byte[]? _pmt;
    private int _pmtPid = -1;
    private int _cutPid = -1;
    private bool _cutOnVideo;
    private FileStream? _file;
    private int _number;
    private long _written;
    private double? _fileStart;
    private double? _lastPts;
    private long? _firstPts;

    /// <param name="maxBytes">A file ends at the first keyframe after it reached this size.</param>
    public TsSegmenter(RecordingRequest request, long maxBytes)
    {
        _request = request;
        _maxBytes = maxBytes;
        _number = request.FirstSegmentNumber;
    }

    /// <summary>Reads the stream to its end and writes the files; the last one is listed when the stream ends.</summary>
    public async Task RunAsync(Stream input, CancellationToken cancellationToken)
    {
        var buffer = new byte[PacketSize * 1024];
        var filled = 0;
        try
        {
            int read;
            while ((read = await input.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
            {
                filled += read;
                var offset = 0;
                while (filled - offset >= PacketSize)
                {
                    if (buffer[offset] != Sync)
                    {
                        offset++; // resynchronise: ffmpeg writes whole packets, so this only skips garbage
                        continue;
                    }
                    await PacketAsync(buffer.AsMemory(offset, PacketSize), cancellationToken).ConfigureAwait(false);
                    offset += PacketSize;
                }
                Buffer.BlockCopy(buffer, offset, buffer, 0, filled - offset);
                filled -= offset;
            }
        }
        finally
        {
            await CloseAsync(_lastPts).ConfigureAwait(false);
        }
    }

    private async Task PacketAsync(ReadOnlyMemory<byte> packet, CancellationToken cancellationToken)
    {
        var p = packet.Span;
        var pid = ((p[1] & 0x1F) << 8) | p[2];
        var start = (p[1] & 0x40) != 0;
        var adaptation = (p[3] >> 4) & 0x3;
        var payload = adaptation switch
        {
            1 => 4,
            3 => 5 + p[4],
            _ => PacketSize,
        };
        var randomAccess = adaptation is 2 or 3 && p[4] > 0 && (p[5] & 0x40) != 0;
        if (pid == 0 && start)
        {
            _pat = packet.ToArray();
            _pmtPid = PmtPid(p, payload);
        }
        else if (pid == _pmtPid && start)
        {
            _pmt = packet.ToArray();
            (_cutPid, _cutOnVideo) = CutPid(p, payload);
        }
        double? pts = null;
        if (pid == _cutPid && start && payload < PacketSize - 14)
        {
            pts = Pts(p[payload..]);
        }
        if (pts is { } at)
        {
            var cut = _file is not null && (_cutOnVideo ? randomAccess : true)
                && (_written >= _maxBytes || (_fileStart is { } began && at - began >= _request.SegmentDuration.TotalSeconds));
            if (cut)
            {
                await CloseAsync(at).ConfigureAwait(false);
            }
            _lastPts = at;
        }
        if (_file is null)
        {
            await OpenAsync(pts, cancellationToken).ConfigureAwait(false);
        }
        else if (_fileStart is null && pts is not null)
        {
            _fileStart = pts; // the first file opens at the stream's first packet, before any timestamp
        }
        await _file!.WriteAsync(packet, cancellationToken).ConfigureAwait(false);
        _written += PacketSize;
    }

    private async Task OpenAsync(double? pts, CancellationToken cancellationToken)
    {
        _file = new FileStream(_request.SegmentPath(_number), FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true);
        _written = 0;
        _fileStart = pts ?? _lastPts;
        if (_number > _request.FirstSegmentNumber && _pat is not null && _pmt is not null)
        {
            await _file.WriteAsync(_pat, cancellationToken).ConfigureAwait(false);
            await _file.WriteAsync(_pmt, cancellationToken).ConfigureAwait(false);
            _written += 2 * PacketSize;
        }
    }

    /// <summary>Closes the file being written and lists it (start and end relative to the stream's first timestamp).</summary>
    private async Task CloseAsync(double? end)
    {
        if (_file is not { } file)
        {
            return;
        }
        _file = null;
        await file.FlushAsync().ConfigureAwait(false);
        await file.DisposeAsync().ConfigureAwait(false);
        var name = Path.GetFileName(_request.SegmentPath(_number));
        var from = _fileStart ?? 0;
        var to = Math.Max(end ?? from, from);
        await File.AppendAllTextAsync(_request.SegmentListPath,
            string.Create(CultureInfo.InvariantCulture, $"{name},{from:0.000000},{to:0.000000}\n")).ConfigureAwait(false);
        _number++;
    }

    /// <summary>The PMT's PID: the first program of the PAT (program 0 is the network PID).</summary>
    private static int PmtPid(ReadOnlySpan<byte> p, int payload)
    {
        var table = payload + 1 + p[payload];
        if (table + 8 >= PacketSize || p[table] != 0x00)
        {
            return -1;
        }
        var sectionLength = ((p[table + 1] & 0x0F) << 8) | p[table + 2];
        for (var i = table + 8; i + 4 <= Math.Min(table + 3 + sectionLength - 4, PacketSize); i += 4)
        {
            var program = (p[i] << 8) | p[i + 1];
            if (program != 0)
            {
                return ((p[i + 2] & 0x1F) << 8) | p[i + 3];
            }
        }
        return -1;
    }

    /// <summary>The PID files are cut on: the first video stream of the PMT, else its first stream.</summary>
    private static (int Pid, bool Video) CutPid(ReadOnlySpan<byte> p, int payload)
    {
        var table = payload + 1 + p[payload];
        if (table + 12 >= PacketSize || p[table] != 0x02)
        {
            return (-1, false);
        }
        var sectionLength = ((p[table + 1] & 0x0F) << 8) | p[table + 2];
        var programInfo = ((p[table + 10] & 0x0F) << 8) | p[table + 11];
        var end = Math.Min(table + 3 + sectionLength - 4, PacketSize);
        var first = -1;
        for (var i = table + 12 + programInfo; i + 5 <= end;)
        {
            var type = p[i];
            var pid = ((p[i + 1] & 0x1F) << 8) | p[i + 2];
            var info = ((p[i + 3] & 0x0F) << 8) | p[i + 4];
            if (type is 0x01 or 0x02 or 0x10 or 0x1B or 0x24)
            {
                return (pid, true);
            }
            if (first < 0)
            {
                first = pid;
            }
            i += 5 + info;
        }
        return (first, false);
    }

    /// <summary>A PES header's PTS in seconds from the stream's first, or null when the packet carries none.</summary>
    private double? Pts(ReadOnlySpan<byte> pes)
    {
        if (pes.Length < 14 || pes[0] != 0 || pes[1] != 0 || pes[2] != 1 || (pes[7] & 0x80) == 0)
        {
            return null;
        }
        var pts = ((long)(pes[9] & 0x0E) << 29) | ((long)pes[10] << 22) | ((long)(pes[11] & 0xFE) << 14) | ((long)pes[12] << 7) | ((long)pes[13] >> 1);
        _firstPts ??= pts;
        var delta = (pts - _firstPts.Value + PtsWrap) % PtsWrap;
        return delta / 90000.0;
    }
}
