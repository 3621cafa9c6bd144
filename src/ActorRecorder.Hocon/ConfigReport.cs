namespace ActorRecorder.Hocon;

/// <summary>What <c>actorrecorder config show</c> does, kept here so it is testable without the CLI.</summary>
public static class ConfigReport
{
    /// <summary>
    /// Loads <paramref name="file"/> with the reference configs as fallbacks, resolves it, and writes it
    /// (HOCON or JSON) with secrets masked. On any configuration error writes <c>error: message</c> to
    /// <paramref name="error"/> and returns 1; otherwise returns 0.
    /// </summary>
    public static int Show(
        string file, bool json, TextWriter output, TextWriter error, ConfigResolveOptions resolveOptions, params Config[] references)
    {
        Config config;
        try
        {
            config = ConfigurationFactory.Load(file, resolveOptions, references);
        }
        catch (ConfigException e)
        {
            error.WriteLine("error: " + e.Message);
            return 1;
        }

        var masked = ConfigSecrets.MaskSecrets(config);
        output.Write(json ? masked.ToJson() + Environment.NewLine : masked.ToString());
        return 0;
    }
}
