using ActorRecorder.Engine.Settings.Internal;

namespace ActorRecorder.Engine.Settings;

public static partial class EngineSettings
{
    /// <summary>A configured token shorter than this is refused: it guards starting and stopping recordings.</summary>
    public const int MinimumTokenLength = 16;

    private static ManagementSettings ReadManagement(SettingsSection management, string baseDir)
    {
        var http = management.Child("http");
        var hostname = http.GetString("hostname").Trim();
        if (hostname.Length == 0)
        {
            throw http.Invalid("hostname", "must not be empty; the address to listen on, e.g. 127.0.0.1 or 0.0.0.0");
        }
        var port = http.GetInt("port");
        if (port is < 0 or > 65535)
        {
            throw http.Invalid("port", $"must be 0 (any free port) or 1 to 65535, got {port}");
        }
        var token = http.GetString("token").Trim();
        if (token.Length is > 0 and < MinimumTokenLength || token.Any(char.IsWhiteSpace))
        {
            throw http.Invalid("token", $"must be empty (a token is generated) or at least {MinimumTokenLength} characters without spaces");
        }
        string? tokenFile = null;
        if (http.GetString("token-file").Trim() is { Length: > 0 } file)
        {
            if (token.Length > 0)
            {
                throw http.Invalid("token-file", "cannot be set together with token (or ACTORRECORDER_MANAGEMENT_TOKEN): choose one");
            }
            tokenFile = Path.GetFullPath(file, baseDir);
            token = ReadTokenFile(http, tokenFile);
        }
        var linkTtl = Duration(management, "link-ttl", TimeSpan.FromMinutes(1));
        if (linkTtl > TimeSpan.FromDays(30))
        {
            throw management.Invalid("link-ttl", $"must be at most 30d, got {ConfigDescription.Of(linkTtl)}");
        }
        var logLines = management.GetInt("log-lines");
        if (logLines is < 0 or > 100_000)
        {
            throw management.Invalid("log-lines", $"must be 0 to 100000, got {logLines}");
        }
        var liveTimeout = Duration(management, "live-client-timeout", TimeSpan.FromSeconds(1));
        if (liveTimeout > TimeSpan.FromMinutes(10))
        {
            throw management.Invalid("live-client-timeout", $"must be at most 10m, got {ConfigDescription.Of(liveTimeout)}");
        }
        return new ManagementSettings(hostname, port, token.Length == 0 ? null : token, linkTtl, logLines, liveTimeout) { TokenFile = tokenFile };
    }

    /// <summary>
    /// The token kept in a file of the user's (one a Prometheus running as its own user can read too, through its group):
    /// it must exist, hold at least <see cref="MinimumTokenLength"/> characters, and not be readable by everyone.
    /// </summary>
    private static string ReadTokenFile(SettingsSection http, string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw http.Invalid("token-file", $"{path} does not exist");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw http.Invalid("token-file", $"{path} cannot be read: {ex.Message}");
        }
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
        {
            throw http.Invalid("token-file", $"{path} is readable or writable by every user: chmod o-rw it (group-readable, say 0640, is fine)");
        }
        if (text.Length < MinimumTokenLength || text.Any(char.IsWhiteSpace))
        {
            throw http.Invalid("token-file", $"{path} must hold one token of at least {MinimumTokenLength} characters without spaces");
        }
        return text;
    }
}
