using System.Globalization;
using System.Text;

namespace ActorRecorder.Engine.Delivery;

/// <summary>
/// Copies parts into <c>&lt;path&gt;/&lt;channel&gt;/&lt;yyyy-MM-dd_HH-mm&gt;_&lt;title&gt;/part-NN.&lt;ext&gt;</c> (the session's
/// compressed copy as <c>compressed.mp4</c>). Each file is written
/// under a temporary name, flushed to disk and renamed, so a reader never sees half a file; delivering a
/// part again replaces it with the same bytes. The title is sanitised before it reaches a path.
/// </summary>
public sealed class ArchiveTarget(string root) : IUploadTarget
{
    /// <summary>The name a channel's <c>upload.targets</c> uses, and its uploads are journaled under.</summary>
    public const string TargetName = "archive";

    public string Name => TargetName;

    /// <summary>What the delivery rules need to know: files up to the archive's part size, one at a time.</summary>
    public static DeliveryTarget Describe(long maxPartBytes) => new(TargetName, maxPartBytes);

    public async Task<string> DeliverAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(root, item.ChannelId, FolderName(item.StartedAt, item.Title));
        try
        {
            Directory.CreateDirectory(folder);
            var name = item.Part.Number == Channel.Session.CompressedCopy ? "compressed" : $"part-{item.Part.Number.ToString("00", CultureInfo.InvariantCulture)}";
            var destination = Path.Combine(folder, name + Path.GetExtension(item.Part.Path));
            var temp = destination + ".partial";
            await using (var source = new FileStream(item.Part.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true))
            await using (var target = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
            {
                await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
                target.Flush(flushToDisk: true);
            }
            File.Move(temp, destination, overwrite: true);
            return destination;
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new DeliveryRejectedException($"the archive folder {folder} is not writable: {ex.Message}", ex);
        }
    }

    /// <summary>The session's folder: its start time and its title made safe for any file system.</summary>
    public static string FolderName(DateTimeOffset startedAt, string? title)
    {
        var safe = new StringBuilder();
        foreach (var c in (title ?? "").Trim())
        {
            safe.Append(char.IsLetterOrDigit(c) || c is ' ' or '-' or '_' or '.' or '(' or ')' ? c : '_');
        }
        var name = safe.ToString().Trim().TrimStart('.');
        if (name.Length > 80)
        {
            name = name[..80].TrimEnd();
        }
        var stamp = startedAt.ToLocalTime().ToString("yyyy-MM-dd_HH-mm", CultureInfo.InvariantCulture);
        return name.Length == 0 ? stamp : $"{stamp}_{name}";
    }
}
