using System.Text.RegularExpressions;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Hocon;

namespace ActorRecorder.Engine.Tests.Settings;

public sealed partial class ReferenceConfSpecs
{
    /// <summary>The text of hocon/reference.conf as embedded in the engine.</summary>
    internal static string ReadEmbeddedReference()
    {
        using var stream = typeof(EngineSettings).Assembly.GetManifestResourceStream("ActorRecorder.Engine.reference.conf");
        Assert.NotNull(stream);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [Fact]
    public void Every_key_assignment_in_the_reference_must_have_a_comment_line_directly_above_it()
    {
        var lines = ReadEmbeddedReference().Split('\n');
        var assignments = 0;

        for (var i = 0; i < lines.Length; i++)
        {
            var match = Assignment().Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }

            assignments++;
            var above = i > 0 ? lines[i - 1].Trim() : "";
            Assert.True(above.StartsWith('#'),
                $"reference.conf line {i + 1} sets '{match.Groups["key"].Value}' without a comment line directly above it");
        }

        // data-dir, journal, path, connection-string, delete-old-events, the ten recording keys, the two processing keys,
        // upload's targets, delete-after-upload, archive path and max-part-size, the nine telegram keys, channels,
        // and the cluster's nineteen (seed-nodes, hostname, port, public-hostname, roles, two of failure detection, three
        // of downing, four of the lease, five of tls), and the management API's nine (hostname, port and token, each of the last two
        // also from the environment, token-file, link-ttl, log-lines, live-client-timeout).
        Assert.Equal(92, assignments);
    }

    [Fact]
    public void Every_value_in_the_reference_must_be_defined_on_a_line_below_a_comment()
    {
        var lines = ReadEmbeddedReference().Split('\n');
        var leaves = Leaves(EngineSettings.Reference.Root, "").ToList();

        Assert.NotEmpty(leaves);
        foreach (var (path, value) in leaves)
        {
            Assert.True(value.Origin is { Line: > 1 }, $"'{path}' has no position in reference.conf");
            var above = lines[value.Origin!.Line - 2].Trim();
            Assert.True(above.StartsWith('#'), $"'{path}' (reference.conf line {value.Origin.Line}) is not documented by a comment line above it");
        }
    }

    [Fact]
    public void The_reference_must_define_every_recording_key_the_engine_reads()
    {
        string[] keys =
        [
            "output-dir", "poll-interval", "container", "segment-duration", "grace-period",
            "stall-timeout", "min-free-disk", "ffmpeg-path", "ffprobe-path", "disk-check-interval",
        ];

        foreach (var key in keys)
        {
            Assert.True(EngineSettings.Reference.HasPath("actor-recorder.recording." + key), $"reference.conf lacks actor-recorder.recording.{key}");
        }

        Assert.True(EngineSettings.Reference.HasPath("actor-recorder.node.data-dir"));
        Assert.True(EngineSettings.Reference.HasPath("actor-recorder.persistence.journal"));
        Assert.True(EngineSettings.Reference.HasPath("actor-recorder.persistence.sqlite.path"));
        Assert.IsType<ConfigList>(EngineSettings.Reference.GetValue("actor-recorder.channels"));
    }

    private static IEnumerable<(string Path, ConfigValue Value)> Leaves(ConfigObject obj, string prefix)
    {
        foreach (var (key, value) in obj)
        {
            var path = prefix + key;
            if (value is ConfigObject child)
            {
                foreach (var leaf in Leaves(child, path + "."))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return (path, value);
            }
        }
    }

    // A key (possibly dotted) set with '=' or ':' at the start of a line that is not a comment.
    [GeneratedRegex(@"^\s*(?<key>[a-z][a-z0-9-]*(\.[a-z0-9-]+)*)\s*[=:]")]
    private static partial Regex Assignment();
}
