using System.Buffers.Binary;
using System.Text;

namespace ActorRecorder.Media.Synthetic;

/// <summary>
/// Writes a data-only MPEG-TS carrying timed ID3 metadata the way platforms' HLS does: stream type 0x15 with an
/// 'ID3 ' metadata descriptor, one ID3v2.4 tag (a TXXX frame) per PES packet. ffmpeg has no source of timed data
/// (and a private stream without that descriptor is probed for a long time before it is usable), so the synthetic
/// source loops this file into its HLS output with <c>-c:d copy</c>.
/// </summary>
internal static class TimedId3Track
{
    private const int PacketSize = 188;
    private const int PmtPid = 0x1000;
    private const int DataPid = 0x100;

    /// <summary>
    /// <paramref name="tags"/> ID3 tags, one every <paramref name="interval"/>, starting at 1 s. Not
    /// <paramref name="identified"/>: opaque bytes in a private stream (type 0x06) with no descriptor, which no demuxer
    /// can identify: ffmpeg and ffprobe keep probing it until their probe limits are reached.
    /// </summary>
    public static byte[] Build(int tags, TimeSpan interval, bool identified = true)
    {
        var output = new List<byte>(tags * PacketSize * 2);
        var continuity = new Dictionary<int, int>();
        var pat = Section(0x00, [0x00, 0x01, 0xE0 | (PmtPid >> 8), PmtPid & 0xFF]);
        byte[] descriptor = identified ? [0x26, 13, 0xFF, 0xFF, .. "ID3 "u8, 0xFF, .. "ID3 "u8, 0x00, 0x0F] : [];
        var pmt = Section(0x02,
        [
            0xFF, 0xFF, 0xF0, 0x00, // no PCR PID, no program descriptors
            identified ? (byte)0x15 : (byte)0x06, 0xE0 | (DataPid >> 8), DataPid & 0xFF, 0xF0, (byte)descriptor.Length, .. descriptor,
        ]);
        for (var i = 0; i < tags; i++)
        {
            if (i % 10 == 0)
            {
                output.AddRange(Packet(0, [0x00, .. pat], continuity, padWith: 0xFF));
                output.AddRange(Packet(PmtPid, [0x00, .. pmt], continuity, padWith: 0xFF));
            }
            var pts = (long)((TimeSpan.FromSeconds(1) + interval * i).TotalSeconds * 90_000);
            // Unidentified: bytes no probe recognises (an ID3 header would be taken for MP3).
            var tag = identified ? Id3Tag($"synthetic {i}") : [.. Encoding.ASCII.GetBytes($"opaque platform data {i:00000} "), .. new byte[40]];
            byte[] pes =
            [
                0x00, 0x00, 0x01, 0xBD, (byte)((8 + tag.Length) >> 8), (byte)(8 + tag.Length), 0x80, 0x80, 0x05,
                (byte)(0x21 | ((pts >> 29) & 0x0E)), (byte)(pts >> 22), (byte)(((pts >> 14) & 0xFE) | 1), (byte)(pts >> 7), (byte)(((pts << 1) & 0xFE) | 1),
                .. tag,
            ];
            output.AddRange(Packet(DataPid, pes, continuity, padWith: null));
        }
        return [.. output];
    }

    /// <summary>One TS packet starting a payload: PSI is padded with 0xFF after it, a PES is stuffed in front through the adaptation field.</summary>
    private static byte[] Packet(int pid, byte[] payload, Dictionary<int, int> continuity, byte? padWith)
    {
        if (payload.Length > PacketSize - 4)
        {
            throw new ArgumentException("one packet per payload", nameof(payload));
        }
        var counter = continuity.GetValueOrDefault(pid);
        continuity[pid] = (counter + 1) % 16;
        var packet = new byte[PacketSize];
        packet[0] = 0x47;
        packet[1] = (byte)(0x40 | (pid >> 8));
        packet[2] = (byte)pid;
        var stuffing = PacketSize - 4 - payload.Length;
        if (padWith is not null || stuffing == 0)
        {
            packet[3] = (byte)(0x10 | counter);
            payload.CopyTo(packet, 4);
            packet.AsSpan(4 + payload.Length).Fill(padWith ?? 0xFF);
            return packet;
        }
        packet[3] = (byte)(0x30 | counter);
        packet[4] = (byte)(stuffing - 1); // adaptation field length
        if (stuffing > 1)
        {
            packet[5] = 0x00; // no flags
            packet.AsSpan(6, stuffing - 2).Fill(0xFF);
        }
        payload.CopyTo(packet, 4 + stuffing);
        return packet;
    }

    /// <summary>A PSI section (PAT or PMT) for program 1, with its CRC.</summary>
    private static byte[] Section(byte tableId, byte[] body)
    {
        var length = 5 + body.Length + 4;
        byte[] section = [tableId, (byte)(0xB0 | (length >> 8)), (byte)length, 0x00, 0x01, 0xC1, 0x00, 0x00, .. body, 0, 0, 0, 0];
        BinaryPrimitives.WriteUInt32BigEndian(section.AsSpan(^4), Crc32Mpeg2(section.AsSpan(0, section.Length - 4)));
        return section;
    }

    private static byte[] Id3Tag(string text)
    {
        byte[] body = [0x03, .. "ActorRecorder\0"u8, .. Encoding.UTF8.GetBytes(text)];
        byte[] frame = [.. "TXXX"u8, .. SyncSafe(body.Length), 0x00, 0x00, .. body];
        return [.. "ID3"u8, 0x04, 0x00, 0x00, .. SyncSafe(frame.Length), .. frame];
    }

    private static byte[] SyncSafe(int value) =>
        [(byte)((value >> 21) & 0x7F), (byte)((value >> 14) & 0x7F), (byte)((value >> 7) & 0x7F), (byte)(value & 0x7F)];

    /// <summary>CRC-32/MPEG-2: polynomial 0x04C11DB7, initial value all ones, not reflected, no final XOR.</summary>
    private static uint Crc32Mpeg2(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        foreach (var b in data)
        {
            crc ^= (uint)b << 24;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000_0000) != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1;
            }
        }
        return crc;
    }
}
