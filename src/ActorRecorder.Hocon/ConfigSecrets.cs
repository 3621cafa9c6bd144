using System.Text.RegularExpressions;

namespace ActorRecorder.Hocon;

/// <summary>Hides secrets before a configuration is shown or logged.</summary>
public static partial class ConfigSecrets
{
    public const string Mask = "********";

    private static readonly HashSet<string> SecretKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "bot-token", "password", "secret", "token", "api-key",
    };

    /// <summary>Whether a key (the last segment of a path) names a secret.</summary>
    public static bool IsSecretKey(string key) => SecretKeys.Contains(key);

    /// <summary>
    /// A copy where every value under a secret key reads <see cref="Mask"/>, and the password part of
    /// connection strings (<c>Password=...;</c>) and of URLs (<c>http://user:password@host</c>, a proxy's) is masked
    /// wherever it appears. Nulls stay null.
    /// </summary>
    public static Config MaskSecrets(Config config) => new((ConfigObject)MaskValue(config.Root, secret: false));

    private static ConfigValue MaskValue(ConfigValue value, bool secret)
    {
        Guard.Stack(value.Origin);
        switch (value)
        {
            case ConfigNull:
                return value;
            case not null when secret:
                return new ConfigString(Mask, value.Origin);
            case ConfigObject obj:
                var fields = new OrderedDictionary<string, ConfigValue>(obj.Count, StringComparer.Ordinal);
                foreach (var (key, field) in obj)
                {
                    fields[key] = MaskValue(field, IsSecretKey(key));
                }

                return new ConfigObject(fields, obj.Origin, obj.KeyOrigins);
            case ConfigList list:
                return new ConfigList(list.Select(item => MaskValue(item, secret: false)), list.Origin);
            case ConfigString s when ConnectionStringPassword().IsMatch(s.Value):
                return new ConfigString(ConnectionStringPassword().Replace(s.Value, "$1=" + Mask), s.Origin);
            case ConfigString s when UrlPassword().IsMatch(s.Value):
                return new ConfigString(UrlPassword().Replace(s.Value, "$1" + Mask + "@"), s.Origin);
            default:
                return value!;
        }
    }

    [GeneratedRegex(@"(\w://[^/@:\s]*:)[^/@\s]*@")]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"(?i)\b(password|pwd)\s*=\s*(?:""[^""]*""|'[^']*'|[^;]*)")]
    private static partial Regex ConnectionStringPassword();
}
