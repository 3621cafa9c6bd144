namespace ActorRecorder.Engine.Settings;

/// <summary>The node's management API (<c>actor-recorder.management</c>; see hocon/reference.conf).</summary>
/// <param name="Hostname">The address the API listens on (loopback by default).</param>
/// <param name="Port">Its port; 0 picks a free one.</param>
/// <param name="Token">The bearer token; null: the one in <c>&lt;data-dir&gt;/management.token</c>, generated at first start.</param>
/// <param name="LinkTtl">How long a signed download link stays valid.</param>
/// <param name="LogLines">How many recent log lines the node keeps for <c>log peek</c>.</param>
/// <param name="LiveClientTimeout">A live-stream client that took nothing for this long is dropped.</param>
public sealed record ManagementSettings(string Hostname, int Port, string? Token, TimeSpan LinkTtl, int LogLines, TimeSpan LiveClientTimeout)
{
    public static ManagementSettings Default { get; } = new("127.0.0.1", 9110, null, TimeSpan.FromHours(6), 1000, TimeSpan.FromSeconds(10));

    /// <summary>The file <see cref="Token"/> was read from (<c>http.token-file</c>), if any.</summary>
    public string? TokenFile { get; init; }

    /// <summary>The file a generated token is kept in, under the node's data directory.</summary>
    public static string GeneratedTokenFile(string dataDir) => Path.Combine(dataDir, "management.token");

    /// <summary>The token is a secret: records print it masked.</summary>
    public override string ToString() =>
        $"ManagementSettings {{ Hostname = {Hostname}, Port = {Port}, Token = {(Token is null ? "(generated)" : Hocon.ConfigSecrets.Mask)}, TokenFile = {TokenFile}, LinkTtl = {LinkTtl}, LogLines = {LogLines}, LiveClientTimeout = {LiveClientTimeout} }}";
}
