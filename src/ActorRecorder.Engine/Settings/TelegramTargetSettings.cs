namespace ActorRecorder.Engine.Settings;

/// <summary>The telegram target (<c>actor-recorder.upload.telegram</c>; see hocon/reference.conf).</summary>
/// <param name="BotToken">Secret: never logged (<see cref="ToString"/> masks it).</param>
public sealed record TelegramTargetSettings(
    string ApiBaseUrl, string BotToken, string ChatId, long MaxPartBytes, int Parallelism, long SpeedLimit, string CaptionTemplate, bool LocalMode)
{
    /// <summary>Parts sent together as one album (<c>sendMediaGroup</c>); 1: one message per part.</summary>
    public int AlbumSize { get; init; } = 1;

    public override string ToString() =>
        $"TelegramTargetSettings {{ ApiBaseUrl = {ApiBaseUrl}, BotToken = ***, ChatId = {ChatId}, MaxPartBytes = {MaxPartBytes}, LocalMode = {LocalMode}, AlbumSize = {AlbumSize} }}";
}
