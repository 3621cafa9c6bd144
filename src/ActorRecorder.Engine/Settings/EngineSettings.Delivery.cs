using ActorRecorder.Engine.Delivery;
using ActorRecorder.Engine.Settings.Internal;
using ActorRecorder.Hocon;
using ActorRecorder.Media.Splitting;

namespace ActorRecorder.Engine.Settings;

public static partial class EngineSettings
{
    /// <param name="namedByChannels">The targets channels' own <c>upload.targets</c> name (their settings are then required).</param>
    private static DeliverySettings ReadDelivery(Config root, string baseDir, IReadOnlySet<string> namedByChannels)
    {
        var processing = SettingsSection.Of(root, "actor-recorder.processing");
        var upload = SettingsSection.Of(root, "actor-recorder.upload");
        var archive = upload.Child("archive");
        var targets = ReadTargets(upload);
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
        var delete = upload.GetOnOff("delete-after-upload");
        var telegram = targets.Contains(TelegramTarget.TargetName) || namedByChannels.Contains(TelegramTarget.TargetName) ? ReadTelegram(upload.Child("telegram")) : null;
        var rclone = targets.Contains(RcloneTarget.TargetName) || namedByChannels.Contains(RcloneTarget.TargetName) ? ReadRclone(upload.Child("rclone"), baseDir) : null;
        return new DeliverySettings(targets, delete, Path.GetFullPath(RequiredPath(archive, "path"), baseDir), maxPart, minSegment, remux)
        {
            Telegram = telegram,
            Rclone = rclone,
            Compress = ReadCompress(processing.Child("compress"), telegram, rclone),
        };
    }

    /// <summary>The compressed copy, when enabled: a size that fits its targets, and targets that are configured.</summary>
    private static CompressSettings? ReadCompress(SettingsSection compress, TelegramTargetSettings? telegram, RcloneTargetSettings? rclone)
    {
        var enabled = compress.GetOnOff("enabled");
        if (!enabled)
        {
            return null;
        }
        var targets = ReadTargets(compress);
        if (targets.Count == 0)
        {
            throw compress.Invalid("targets", "names no target: list where the compressed copy goes, e.g. [telegram]");
        }
        if (targets.Contains(TelegramTarget.TargetName) && telegram is null)
        {
            throw compress.Invalid("targets", "names telegram, which is not configured: add it to upload.targets (with upload.telegram's chat-id and token)");
        }
        if (targets.Contains(RcloneTarget.TargetName) && rclone is null)
        {
            throw compress.Invalid("targets", "names rclone, which is not configured: add it to upload.targets (with upload.rclone's remote)");
        }
        var size = compress.GetByteSize("target-size");
        if (size < 1L << 20)
        {
            throw compress.Invalid("target-size", $"must be at least 1MiB, got {size} bytes");
        }
        if (targets.Contains(TelegramTarget.TargetName) && size > telegram!.MaxPartBytes)
        {
            throw compress.Invalid("target-size", $"{size} bytes is more than the telegram max-part-size ({telegram.MaxPartBytes} bytes): the copy would be refused");
        }
        return new CompressSettings(size, targets);
    }

    /// <summary>A <c>targets</c> list (the node's, or a channel's override): known targets, each once.</summary>
    private static IReadOnlyList<string> ReadTargets(SettingsSection section)
    {
        var targets = section.GetStringList("targets");
        foreach (var target in targets)
        {
            if (!DeliverySettings.KnownTargets.Contains(target))
            {
                throw section.Invalid("targets", $"unknown upload target '{target}'; known: {string.Join(", ", DeliverySettings.KnownTargets.Order())}");
            }
        }
        if (targets.Distinct(StringComparer.Ordinal).Count() != targets.Count)
        {
            throw section.Invalid("targets", "names a target twice");
        }
        return targets;
    }

    /// <summary>
    /// The targets the channels' <c>upload.targets</c> (their own, or from their templates) name, read before the channels
    /// are validated: their settings are then required.
    /// </summary>
    private static IReadOnlySet<string> TargetsNamedByChannels(Config root)
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        if (root.GetValue(ChannelsPath) is not ConfigList list || list.Any(item => item is not ConfigObject))
        {
            return named; // the channel reader reports a malformed item with its position
        }
        var templates = ReadTemplates(root);
        var items = root.GetConfigList(ChannelsPath);
        for (var i = 0; i < items.Count; i++)
        {
            if (WithTemplates(items[i], SettingsSection.Item(items[i], $"{ChannelsPath}[{i}]", list[i].Origin), templates).GetValue("upload.targets") is ConfigList targets)
            {
                named.UnionWith(targets.OfType<ConfigString>().Select(t => t.Value));
            }
        }
        return named;
    }

    private static RcloneTargetSettings ReadRclone(SettingsSection rclone, string baseDir)
    {
        var remote = rclone.GetString("remote").Trim();
        if (remote.Length == 0 || !remote.Contains(':', StringComparison.Ordinal))
        {
            throw rclone.Invalid("remote", remote.Length == 0
                ? "required when rclone is an upload target: a remote of rclone's configuration and a folder, e.g. \"s3:recordings\""
                : $"'{remote}' names no remote; write name:path, e.g. \"s3:recordings\" (a local folder is the archive target's job)");
        }
        var configText = rclone.GetString("config-file").Trim();
        string? config = null;
        if (configText.Length > 0)
        {
            config = Path.GetFullPath(configText, baseDir);
            if (!File.Exists(config))
            {
                throw rclone.Invalid("config-file", $"{config} does not exist (rclone config --config {config} writes one)");
            }
        }
        var maxPart = rclone.GetByteSize("max-part-size");
        if (maxPart < 1L << 20)
        {
            throw rclone.Invalid("max-part-size", $"must be at least 1MiB, got {maxPart} bytes");
        }
        return new RcloneTargetSettings(remote, config, rclone.GetStringList("flags"), maxPart, Executable(rclone, "rclone-path", baseDir));
    }

    private static TelegramTargetSettings ReadTelegram(SettingsSection telegram)
    {
        var token = telegram.Has("bot-token") ? telegram.GetString("bot-token").Trim() : "";
        if (token.Length == 0)
        {
            throw telegram.Invalid("bot-token", "required when telegram is an upload target: set it, or the environment variable TELEGRAM_BOT_TOKEN");
        }
        var chat = telegram.GetString("chat-id").Trim();
        try
        {
            Telegram.ChatId.Parse(chat);
        }
        catch (FormatException)
        {
            throw telegram.Invalid("chat-id", $"'{chat}' is not a chat id: use a number (e.g. -1001234567890) or a channel's @username");
        }
        var baseUrl = telegram.GetString("api-base-url").Trim();
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw telegram.Invalid("api-base-url", $"'{baseUrl}' is not an http(s) URL");
        }
        var maxPart = telegram.GetByteSize("max-part-size");
        if (maxPart is < 1L << 20 or > 2000L * 1024 * 1024)
        {
            throw telegram.Invalid("max-part-size", $"must be between 1MiB and 2000MiB, got {maxPart} bytes");
        }
        var parallelism = telegram.GetInt("parallelism");
        if (parallelism is < 1 or > 16)
        {
            throw telegram.Invalid("parallelism", $"must be 1 to 16, got {parallelism}");
        }
        var speed = telegram.GetByteSize("speed-limit");
        if (speed < 0)
        {
            throw telegram.Invalid("speed-limit", "must be 0 (no limit) or a positive number of bytes per second");
        }
        var local = telegram.GetOnOff("local-mode");
        var album = telegram.GetInt("album-size");
        if (album is < 1 or > 10)
        {
            throw telegram.Invalid("album-size", $"must be 1 (one message per part) to 10 (Telegram's largest album), got {album}");
        }
        var backup = OtherChat(telegram, "backup-chat-id", chat, "a number (e.g. -1001234567890), a channel's @username, or \"\" for no backup",
            "a backup goes to another chat");
        var waiting = telegram.GetTimeSpan("waiting-timeout");
        if (waiting < TimeSpan.FromSeconds(1))
        {
            throw telegram.Invalid("waiting-timeout", $"must be at least 1s, got {waiting}");
        }
        var discussion = telegram.Child("discussion");
        var group = OtherChat(discussion, "chat-id", chat, "the discussion group's number (e.g. -1001234567890), or \"\" for no comment",
            "comments go to the channel's linked discussion group");
        var template = discussion.GetString("template");
        if (group is not null && template.Trim().Length == 0)
        {
            throw discussion.Invalid("template", "must not be empty when chat-id is set");
        }
        return new TelegramTargetSettings(baseUrl, SecretRef.TelegramBotToken, chat, maxPart, parallelism, speed, telegram.GetString("caption-template"), local)
        {
            DiscussionChatId = group,
            DiscussionTemplate = template,
            AlbumSize = album,
            BackupChatId = backup,
            WaitingTimeout = waiting,
        };
    }

    /// <summary>An optional second chat (<c>""</c>: none): a chat id, and not the target's own <paramref name="chat"/>.</summary>
    private static string? OtherChat(SettingsSection section, string key, string chat, string use, string why)
    {
        var other = section.GetString(key).Trim();
        if (other.Length == 0)
        {
            return null;
        }
        try
        {
            Telegram.ChatId.Parse(other);
        }
        catch (FormatException)
        {
            throw section.Invalid(key, $"'{other}' is not a chat id: use {use}");
        }
        return other == chat ? throw section.Invalid(key, $"is the chat-id itself; {why}") : other;
    }
}
