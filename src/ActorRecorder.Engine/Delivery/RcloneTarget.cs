using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Media.Processes;

namespace ActorRecorder.Engine.Delivery;

/// <summary>
/// Copies parts (and their thumbnails) to any rclone remote — S3, Google Drive, WebDAV, SFTP and the others rclone speaks —
/// with <c>rclone copyto</c>, to <c>&lt;remote&gt;/&lt;channel&gt;/&lt;yyyy-MM-dd_HH-mm&gt;_&lt;title&gt;/part-NN.&lt;ext&gt;</c>:
/// the same path every time, so a part sent again after a crash replaces itself instead of appearing twice. After the copy
/// the remote's size, and its MD5 or SHA-1 where the remote keeps one, must match the local file. The remote's
/// credentials stay in rclone's configuration file (<c>config-file</c>), never on a command line.
/// </summary>
public sealed class RcloneTarget(RcloneTargetSettings settings) : IUploadTarget
{
    /// <summary>The name a channel's <c>upload.targets</c> uses, and its uploads are journaled under.</summary>
    public const string TargetName = "rclone";

    public string Name => TargetName;

    /// <summary>What the delivery rules need to know: files up to the rclone part size, one at a time.</summary>
    public static DeliveryTarget Describe(RcloneTargetSettings settings) => new(TargetName, settings.MaxPartBytes);

    public async Task<string> DeliverAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var folder = $"{settings.Remote.TrimEnd('/')}/{item.ChannelId}/{ArchiveTarget.FolderName(item.StartedAt, item.Title)}";
        var name = item.Part.Number == Channel.Session.CompressedCopy ? "compressed" : $"part-{item.Part.Number.ToString("00", CultureInfo.InvariantCulture)}";
        var destination = $"{folder}/{name}{Path.GetExtension(item.Part.Path)}";
        await CopyAsync(item.Part.Path, destination, cancellationToken).ConfigureAwait(false);
        await VerifyAsync(item.Part.Path, destination, cancellationToken).ConfigureAwait(false);
        if (item.Part.ThumbnailPath is { } thumbnail && File.Exists(thumbnail))
        {
            await CopyAsync(thumbnail, $"{folder}/{name}{Path.GetExtension(thumbnail)}", cancellationToken).ConfigureAwait(false);
        }
        return destination;
    }

    /// <summary>
    /// Always transfers (<c>--ignore-times</c>): rclone would otherwise skip a file whose size matches, and on a remote that
    /// keeps no modification time (WebDAV) a part cut again to the same size would keep its old content.
    /// </summary>
    private Task<string> CopyAsync(string local, string remote, CancellationToken cancellationToken) =>
        RunAsync(["copyto", "--ignore-times", local, remote, .. settings.Flags], Timeout(new FileInfo(local).Length), cancellationToken);

    /// <summary>The remote file's size, and a hash both sides can compute (MD5, else SHA-1), must be the local file's.</summary>
    private async Task VerifyAsync(string local, string remote, CancellationToken cancellationToken)
    {
        var listing = await RunAsync(["lsjson", "--hash", "--files-only", remote], TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        JsonElement entry;
        try
        {
            using var json = JsonDocument.Parse(listing);
            entry = json.RootElement.EnumerateArray().Select(e => e.Clone()).SingleOrDefault();
        }
        catch (JsonException ex)
        {
            throw new DeliveryDeferredException($"rclone lsjson {remote} printed something that is not JSON: {ex.Message}", ex);
        }
        var size = new FileInfo(local).Length;
        if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("Size", out var remoteSize) || remoteSize.GetInt64() != size)
        {
            throw new DeliveryDeferredException($"after the copy, {remote} is {(entry.ValueKind == JsonValueKind.Object ? $"{entry.GetProperty("Size").GetInt64()} bytes" : "missing")}, not {size} bytes: it is sent again");
        }
        if (!entry.TryGetProperty("Hashes", out var hashes) || hashes.ValueKind != JsonValueKind.Object)
        {
            return; // the remote keeps no hash (WebDAV, SFTP without shell access): the size is what it can tell
        }
        foreach (var (kind, algorithm) in new (string, Func<Stream, byte[]>)[] { ("md5", MD5.HashData), ("sha1", SHA1.HashData) })
        {
            if (hashes.TryGetProperty(kind, out var remoteHash) && remoteHash.GetString() is { Length: > 0 } expected)
            {
                await using var file = File.OpenRead(local);
                var actual = Convert.ToHexStringLower(algorithm(file));
                if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                {
                    throw new DeliveryDeferredException($"after the copy, {remote} has {kind} {expected}, the part has {actual}: it is sent again");
                }
                return;
            }
        }
    }

    private async Task<string> RunAsync(IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string[] config = settings.ConfigFile is { } file ? ["--config", file] : [];
        try
        {
            return await Tool.RunAsync(settings.RclonePath, [.. arguments, .. config], timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (ProcessFailedException ex)
        {
            var why = ex.StderrTail.LastOrDefault(l => l.Contains("ERROR", StringComparison.Ordinal) || l.Contains("Failed", StringComparison.Ordinal))
                ?? ex.StderrTail.LastOrDefault() ?? ex.Reason;
            // rclone's exit codes: 1 and 2 a usage or unknown error (a bad remote, a bad flag); 7 a fatal one (account
            // suspended); the others (3-6, 8, 9, a timeout) may pass.
            throw ex.ExitCode is 1 or 2 or 7
                ? new DeliveryRejectedException($"rclone refused ({ex.ExitCode}): {why}", ex)
                : new DeliveryDeferredException($"rclone failed ({(ex.ExitCode is { } code ? code.ToString(CultureInfo.InvariantCulture) : ex.Reason)}): {why}", ex);
        }
    }

    /// <summary>A part's copy may take as long as 1 MiB/s needs for it, and at least ten minutes.</summary>
    private static TimeSpan Timeout(long bytes) => TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(bytes / (1 << 20));
}
