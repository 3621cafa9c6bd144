using System.Security.Cryptography;
using System.Text;
using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Host.Management;

/// <summary>
/// The management API's bearer token: the configured one, or the one kept in <c>&lt;data-dir&gt;/management.token</c>
/// (generated at the first start with 256 random bits, mode 0600, where the CLI reads it). Compared in constant time.
/// </summary>
public sealed class ManagementToken
{
    private readonly byte[] _expected;

    private ManagementToken(string value)
    {
        Value = value;
        _expected = Encoding.UTF8.GetBytes(value);
    }

    public string Value { get; }

    /// <summary>The key download links are signed with: derived from the token, so nodes that share a token accept each other's links.</summary>
    public byte[] LinkKey => SHA256.HashData(Encoding.UTF8.GetBytes("actorrecorder download link\n" + Value));

    public bool Matches(string presented) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _expected);

    /// <summary>The configured token, or the node's token file (created when missing, tightened to 0600 when others could read it).</summary>
    public static ManagementToken Resolve(ManagementSettings settings, string dataDir)
    {
        if (settings.Token is { } configured)
        {
            return new ManagementToken(configured);
        }
        var path = ManagementSettings.GeneratedTokenFile(dataDir);
        Directory.CreateDirectory(dataDir);
        if (!File.Exists(path))
        {
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // never readable by others, not even for a moment
                }
                using var file = new FileStream(path, options);
                file.Write(Encoding.UTF8.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) + "\n"));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another start made it first: use that one.
            }
        }
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite)) != 0)
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var token = File.ReadAllText(path).Trim();
        if (token.Length < EngineSettings.MinimumTokenLength)
        {
            throw new InvalidOperationException($"{path} holds no usable token (at least {EngineSettings.MinimumTokenLength} characters): delete it and a new one is made at the next start");
        }
        return new ManagementToken(token);
    }
}
