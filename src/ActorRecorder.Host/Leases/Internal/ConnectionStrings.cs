using Akka.Configuration;
using Npgsql;

namespace ActorRecorder.Host.Leases.Internal;

/// <summary>What of a connection string may be shown: never its passwords.</summary>
internal static class ConnectionStrings
{
    private const string Masked = "*****";

    /// <summary>The connection string with its passwords replaced by asterisks.</summary>
    public static string Mask(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            return "(malformed connection string)";
        }
        if (!string.IsNullOrEmpty(builder.Password))
        {
            builder.Password = Masked;
        }
        if (!string.IsNullOrEmpty(builder.SslPassword))
        {
            builder.SslPassword = Masked;
        }
        return builder.ToString();
    }

    /// <summary>"host:port/database", for log lines.</summary>
    /// <exception cref="ConfigurationException">The connection string is malformed (the message names <paramref name="key"/>, not the value).</exception>
    public static string Describe(string connectionString, string key)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{builder.Host}:{builder.Port}/{builder.Database}";
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException($"{key} is not a valid Npgsql connection string: {e.Message}");
        }
    }
}
