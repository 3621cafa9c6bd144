using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ActorRecorder.Host.Management;

/// <summary>
/// Signed, expiring download links: <c>/download/{channel}/{path}?exp={unix seconds}&amp;sig={hex}</c>, where the
/// signature is an HMAC-SHA256 (keyed from the management token) over the channel, the path relative to the channel's
/// recordings folder, and the expiry. Anyone with the link can fetch that one file until it expires; nothing else.
/// </summary>
public static class DownloadLinks
{
    public static string Sign(byte[] key, string channel, string relativePath, DateTimeOffset expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Payload(channel, relativePath, expires.ToUnixTimeSeconds())));

    /// <summary>The path and query of a link to <paramref name="relativePath"/> (each path segment escaped).</summary>
    public static string PathAndQuery(byte[] key, string channel, string relativePath, DateTimeOffset expires)
    {
        var path = string.Join('/', relativePath.Split('/').Select(Uri.EscapeDataString));
        return $"/download/{Uri.EscapeDataString(channel)}/{path}?exp={expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}&sig={Sign(key, channel, relativePath, expires)}";
    }

    /// <summary>Null when the signature holds and has not expired; otherwise why not.</summary>
    public static string? Refusal(byte[] key, string channel, string relativePath, string? exp, string? sig, DateTimeOffset now)
    {
        if (exp is null || sig is null || !long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return "the link has no valid signature (exp and sig are required); ask for a new link with POST /api/recordings/{session}/{part}/link";
        }
        byte[] presented;
        try
        {
            presented = Convert.FromHexString(sig);
        }
        catch (FormatException)
        {
            return "the link's signature is not valid";
        }
        if (!CryptographicOperations.FixedTimeEquals(presented, HMACSHA256.HashData(key, Payload(channel, relativePath, expires))))
        {
            return "the link's signature is not valid";
        }
        return now.ToUnixTimeSeconds() > expires
            ? $"the link expired at {DateTimeOffset.FromUnixTimeSeconds(expires):u}; ask for a new one"
            : null;
    }

    private static byte[] Payload(string channel, string relativePath, long expires) =>
        Encoding.UTF8.GetBytes(channel + "\n" + relativePath + "\n" + expires.ToString(CultureInfo.InvariantCulture));
}
