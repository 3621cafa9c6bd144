using ActorRecorder.Engine.Settings.Internal;
using ActorRecorder.Hocon;
using ActorRecorder.Media.Splitting;

namespace ActorRecorder.Engine.Settings;

public static partial class EngineSettings
{
    private static DeliverySettings ReadDelivery(Config root, string baseDir)
    {
        var processing = SettingsSection.Of(root, "actor-recorder.processing");
        var upload = SettingsSection.Of(root, "actor-recorder.upload");
        var archive = upload.Child("archive");
        var targets = root.GetStringList("actor-recorder.upload.targets");
        foreach (var target in targets)
        {
            if (!DeliverySettings.KnownTargets.Contains(target))
            {
                throw upload.Invalid("targets", $"unknown upload target '{target}'; known: {string.Join(", ", DeliverySettings.KnownTargets.Order())}");
            }
        }
        if (targets.Distinct(StringComparer.Ordinal).Count() != targets.Count)
        {
            throw upload.Invalid("targets", "names a target twice");
        }
        var minSegment = Duration(processing, "min-segment-duration", TimeSpan.Zero);
        var remux = processing.GetString("remux-to").Trim().ToLowerInvariant() switch
        {
            "mp4" => PartFormat.Mp4,
            "ts" => PartFormat.Ts,
            var other => throw processing.Invalid("remux-to", $"unknown container '{other}'; use mp4 or ts"),
        };
        var maxPart = archive.GetByteSize("max-part-size");
        if (maxPart < 1L << 20)
        {
            throw archive.Invalid("max-part-size", $"must be at least 1MiB, got {maxPart} bytes");
        }
        var deleteText = upload.GetString("delete-after-upload").Trim().ToLowerInvariant();
        var delete = deleteText switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            _ => throw upload.Invalid("delete-after-upload", $"'{deleteText}' is not on or off"),
        };
        return new DeliverySettings(targets, delete, Path.GetFullPath(RequiredPath(archive, "path"), baseDir), maxPart, minSegment, remux);
    }
}
