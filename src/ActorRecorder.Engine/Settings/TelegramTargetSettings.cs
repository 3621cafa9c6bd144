namespace ActorRecorder.Engine.Settings;

/// <summary>The telegram target (<c>actor-recorder.upload.telegram</c>; see hocon/reference.conf).</summary>
/// <param name="BotToken">Secret: never logged (<see cref="ToString"/> masks it).</param>
public sealed record TelegramTargetSettings(
    string ApiBaseUrl, string BotToken, string ChatId, long MaxPartBytes, int Parallelism, long SpeedLimit, string CaptionTemplate, bool LocalMode)
{
    public override string ToString() =>
        $"TelegramTargetSettings {{ ApiBaseUrl = {ApiBaseUrl}, BotToken = ***, ChatId = {ChatId}, MaxPartBytes = {MaxPartBytes}, LocalMode = {LocalMode} }}";
}
