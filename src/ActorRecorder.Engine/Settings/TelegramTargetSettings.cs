namespace ActorRecorder.Engine.Settings;

/// <summary>The telegram target (<c>actor-recorder.upload.telegram</c>; see hocon/reference.conf).</summary>
/// <param name="BotToken">The node's bot token, by reference: each node resolves it from its own configuration.</param>
public sealed record TelegramTargetSettings(
    string ApiBaseUrl, SecretRef BotToken, string ChatId, long MaxPartBytes, int Parallelism, long SpeedLimit, string CaptionTemplate, bool LocalMode)
{
    /// <summary>Parts sent together as one album (<c>sendMediaGroup</c>); 1: one message per part.</summary>
    public int AlbumSize { get; init; } = 1;

    /// <summary>A chat every delivered message is copied to (<c>copyMessages</c>, in order); null: no backup.</summary>
    public string? BackupChatId { get; init; }

    /// <summary>How long a WAITING message (a scheduled broadcast) may wait for its broadcast before it is deleted.</summary>
    public TimeSpan WaitingTimeout { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The channel's linked discussion group, where each delivered session gets a comment; null: no comment.</summary>
    public string? DiscussionChatId { get; init; }

    /// <summary>The comment's text: {channel}, {title}, {start}, {duration}, {parts} and {link} are filled in.</summary>
    public string DiscussionTemplate { get; init; } = "{channel}: {title}";

    public override string ToString() =>
        $"TelegramTargetSettings {{ ApiBaseUrl = {ApiBaseUrl}, BotToken = {BotToken}, ChatId = {ChatId}, MaxPartBytes = {MaxPartBytes}, LocalMode = {LocalMode}, AlbumSize = {AlbumSize}, BackupChatId = {BackupChatId}, WaitingTimeout = {WaitingTimeout} }}";
}
