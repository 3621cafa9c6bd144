using System.Diagnostics;
using ActorRecorder.Hocon;

namespace ActorRecorder.Hocon.Tests;

/// <summary>Mutated conformance files must either parse or fail with a positioned ConfigException: never crash, hang or overflow.</summary>
public class RobustnessTests
{
    private const int Inputs = 12_000;
    private const int Seed = 20_251_121;
    private static readonly TimeSpan PerInputLimit = TimeSpan.FromSeconds(10);
    private static readonly string Alphabet = "{}[]():=+,.\"$?#/\\ \t\n\rabcxyz019-eE_'`^!@*&\u00A0\uFEFF\u00e9";

    [Fact(Timeout = 600_000)]
    public async Task Mutated_conformance_files_must_parse_or_fail_with_a_positioned_config_exception()
    {
        var sources = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "conformance", "lightbend-equiv"), "*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f) is ".conf" or ".json" or ".properties")
            .Order(StringComparer.Ordinal)
            .Select(f => (Path: f, Text: File.ReadAllText(f)))
            .ToList();
        Assert.True(sources.Count >= 27, $"found only {sources.Count} conformance files");
        var random = new Random(Seed);
        var parsed = 0;
        var rejected = 0;

        for (var i = 0; i < Inputs; i++)
        {
            var (path, text) = sources[i % sources.Count];
            var mutated = Mutate(text, random);
            var clock = Stopwatch.StartNew();
            var outcome = await Task.Run(() => Check(path, mutated)).WaitAsync(PerInputLimit);
            clock.Stop();

            Assert.True(outcome.Failure is null, $"input {i} (mutated {Path.GetFileName(path)}): {outcome.Failure}\n---\n{mutated}");
            Assert.True(clock.Elapsed < PerInputLimit, $"input {i} took {clock.Elapsed}");
            _ = outcome.Parsed ? parsed++ : rejected++;
        }

        // Both outcomes must actually occur, or the mutations are not exercising anything.
        Assert.True(parsed > 100 && rejected > 100, $"parsed {parsed}, rejected {rejected}");
    }

    private static (bool Parsed, string? Failure) Check(string path, string text)
    {
        var options = new ConfigParseOptions
        {
            Syntax = Path.GetExtension(path) switch { ".json" => ConfigSyntax.Json, ".properties" => ConfigSyntax.Properties, _ => ConfigSyntax.Conf },
            BaseDirectory = Path.GetDirectoryName(path),
            OriginName = Path.GetFileName(path),
        };
        try
        {
            var config = ConfigurationFactory.ParseString(text, options, ConfigResolveOptions.NoEnvironment);
            _ = config.ToString();
            _ = config.ToJson();
            return (true, null);
        }
        catch (ConfigException e)
        {
            return e.Line is > 0 && e.Column is > 0 && e.File is not null
                ? (false, null)
                : (false, "ConfigException without a position: " + e.Message);
        }
        catch (Exception e)
        {
            return (false, e.GetType().Name + ": " + e.Message + "\n" + e.StackTrace);
        }
    }

    private static string Mutate(string text, Random random)
    {
        var chars = text.ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(chars.Count + 1);
            switch (random.Next(3))
            {
                case 0 when chars.Count > 0:
                    chars.RemoveAt(Math.Min(at, chars.Count - 1));
                    break;
                case 1 when chars.Count > 0:
                    var from = Math.Min(at, chars.Count - 1);
                    var length = Math.Min(random.Next(1, 6), chars.Count - from);
                    chars.InsertRange(from, chars.GetRange(from, length));
                    break;
                default:
                    chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
            }
        }

        return new string(chars.ToArray());
    }
}
