using System.Collections;
using System.Text.RegularExpressions;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Media.Processes;
using Microsoft.Extensions.Logging;

namespace ActorRecorder.Engine.Hooks;

/// <summary>
/// Runs a hook: its command without a shell, the session's facts added to the node's environment and every variable of the
/// node that looks like a secret removed, its output in the node's log, killed at its timeout. Never throws: how it
/// ended is the answer.
/// </summary>
public static partial class HookRunner
{
    public static async Task<HookExited> RunAsync(RunHook hook, ILogger log, string channel, CancellationToken cancellationToken)
    {
        try
        {
            var code = await Tool.RunToExitAsync(hook.Command[0], [.. hook.Command.Skip(1)], hook.Timeout, Environment(hook.Environment, System.Environment.GetEnvironmentVariables()),
                line => LogLine(log, channel, hook.Hook, hook.HookId, line), cancellationToken).ConfigureAwait(false);
            return new HookExited(hook.HookId, code, code == 0 ? "exited with 0" : $"exited with {code}");
        }
        catch (OperationCanceledException)
        {
            // The channel stopped (its process was killed): the journal still has it running, so the next incarnation runs it again.
            return new HookExited(hook.HookId, null, "killed: the channel stopped");
        }
        catch (ProcessFailedException ex)
        {
            return new HookExited(hook.HookId, null, ex.ExitCode is null && ex.Reason.StartsWith("timed out", StringComparison.Ordinal)
                ? $"{ex.Reason}: killed"
                : ex.Reason);
        }
    }

    /// <summary>The hook's facts over the node's environment, with each variable that looks like a secret removed (a null value).</summary>
    public static IReadOnlyDictionary<string, string?> Environment(IReadOnlyDictionary<string, string> facts, IDictionary node)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry variable in node)
        {
            if (variable.Key is string name && LooksSecret(name, variable.Value as string))
            {
                environment[name] = null;
            }
        }
        foreach (var (name, value) in facts)
        {
            environment[name] = value;
        }
        return environment;
    }

    private static bool LooksSecret(string name, string? value) =>
        SecretName().IsMatch(name) || (value is not null && UrlCredentials().IsMatch(value));

    [GeneratedRegex("TOKEN|PASSW|SECRET|KEY|CREDENTIAL|PROXY", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"\w://[^/@\s]*:[^/@\s]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlCredentials();

    [LoggerMessage(Level = LogLevel.Information, Message = "channel {Channel}: hook {Hook} ({HookId}): {Line}")]
    private static partial void LogLine(ILogger logger, string channel, string hook, string hookId, string line);
}
