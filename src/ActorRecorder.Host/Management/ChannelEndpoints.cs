using System.Globalization;
using System.Text.Json;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Hocon;
using ActorRecorder.Host.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorRecorder.Host.Management;

/// <summary><c>/api/channels</c>: the channels' state, their journal, and commands (start, stop, pause, resume, split).</summary>
internal static class ChannelEndpoints
{
    private const int MaxEvents = 1000;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/channels", async (NodeApi node, CancellationToken ct) =>
        {
            var channels = await node.ChannelsAsync(ct);
            var statuses = (await node.StatusesAsync(ct)).ToDictionary(s => s.ChannelId, StringComparer.Ordinal);
            return Results.Ok(channels.Select(c => NodeApi.View(c, statuses.GetValueOrDefault(c.Id))));
        });
        app.MapGet("/api/channels/{id}", async (string id, NodeApi node, CancellationToken ct) =>
        {
            if (await node.SettingsAsync(id, ct) is not { } settings)
            {
                return UnknownChannel(id);
            }
            return Results.Ok(NodeApi.View(settings, await node.StatusAsync(id, ct)));
        });
        app.MapGet("/api/channels/{id}/events", async (string id, HttpRequest request, NodeApi node, JournalReader journal, CancellationToken ct) =>
        {
            if (!TryQueryNumber(request, "from", 1, long.MaxValue, out var from, out var error) || !TryQueryNumber(request, "limit", 1, MaxEvents, out var limit, out error))
            {
                return Problems.BadRequest(error);
            }
            if (await node.SettingsAsync(id, ct) is null)
            {
                return UnknownChannel(id);
            }
            var count = (int)(limit ?? 100);
            IReadOnlyList<JournalReader.Entry> events;
            if (from is { } first)
            {
                events = await journal.EventsAsync(id, first, count, ct);
            }
            else if (await node.StatusAsync(id, ct) is { } status)
            {
                events = await journal.TailAsync(id, status.SequenceNr, count, ct); // the channel knows its last event: read back from it
            }
            else
            {
                return Problems.Unavailable($"channel '{id}' is not answering (it is starting or moving to another node); try again, or give from=");
            }
            return Results.Ok(events.Select(e => e.Event switch
            {
                IChannelEvent channelEvent => new EventView(e.SequenceNr, channelEvent.GetType().Name, channelEvent.At,
                    JsonSerializer.SerializeToElement(channelEvent, channelEvent.GetType(), ManagementJson.Options)),
                var unreadable => new EventView(e.SequenceNr, "Unreadable", default,
                    JsonSerializer.SerializeToElement(unreadable, unreadable.GetType(), ManagementJson.Options)),
            }));
        });
        app.MapPost("/api/channels", AddAsync);
        app.MapDelete("/api/channels/{id}", RemoveAsync);
        foreach (var command in new[] { "start", "stop", "pause", "resume", "split" })
        {
            app.MapPost($"/api/channels/{{id}}/{command}", (string id, NodeApi node, CancellationToken ct) => CommandAsync(id, command, node, ct));
        }
    }

    /// <summary>Checks the command against the channel's state (409 when it makes no sense now), sends it, and answers with the channel after it.</summary>
    private static async Task<IResult> CommandAsync(string id, string command, NodeApi node, CancellationToken ct)
    {
        if (await node.SettingsAsync(id, ct) is not { } settings)
        {
            return UnknownChannel(id);
        }
        if (await node.StatusAsync(id, ct) is not { } status)
        {
            return Problems.Unavailable($"channel '{id}' did not answer (it is starting or moving to another node); try again in a few seconds");
        }
        if (status.Retiring)
        {
            return Problems.Conflict($"channel '{id}' is being removed: it finishes its session and takes no commands");
        }
        IChannelInput? input = command switch
        {
            "start" when status.IsRecording => null,
            "start" => new StartRecordingCommand(),
            "stop" when status.SessionId is null => null,
            "stop" => new StopRecordingCommand(),
            "pause" when status.Paused => null,
            "pause" => new PauseChannel(),
            "resume" when !status.Paused => null,
            "resume" => new ResumeChannel(),
            "split" when status.SessionId is null || status.Mode != ChannelMode.Recording => null,
            _ => new SplitSessionCommand(),
        };
        if (input is null)
        {
            return Problems.Conflict(command switch
            {
                "start" => $"channel '{id}' is already recording (session {status.SessionId})",
                "stop" => $"channel '{id}' is not recording: it has no open session",
                "pause" => $"channel '{id}' is already paused",
                "resume" => $"channel '{id}' is not paused",
                _ => $"channel '{id}' is not recording: there is nothing to split",
            });
        }
        node.Tell(id, input);
        return Results.Json(NodeApi.View(settings, await node.StatusAsync(id, ct) ?? status), ManagementJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// Adds a channel at runtime: kept in the data directory's channels.runtime.conf, validated as a channel of the
    /// configuration file is (400 with the reason), and applied (in a cluster, on every node) as an edit of the file is.
    /// </summary>
    private static async Task<IResult> AddAsync(HttpRequest request, NodeApi node, ChannelConfigService config, CancellationToken ct)
    {
        ChannelRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<ChannelRequest>(request.Body, ManagementJson.Options, ct);
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest($"the body is not valid JSON ({ex.Message}); expected {{\"id\": \"...\", \"url\": \"...\", \"resolver\": \"generic\"}}");
        }
        if (body?.Id is not { Length: > 0 } id || body.Url is not { Length: > 0 } url)
        {
            return Problems.BadRequest("'id' and 'url' are required, e.g. {\"id\": \"news\", \"url\": \"https://example.com/live.m3u8\"}");
        }
        if (config.ConfigPath is null)
        {
            return Problems.Conflict("this node was started without a configuration file: its channels cannot change at runtime");
        }
        if (await node.SettingsAsync(id, ct) is not null)
        {
            return Problems.Conflict($"channel '{id}' already exists");
        }
        var change = await ChangeAsync(config, node, dataDir => RuntimeChannels.Add(dataDir, new RuntimeChannels.Added(id, url, body.Resolver)));
        if (change is not null)
        {
            return change;
        }
        var settings = config.Settings.Channels.First(c => c.Id == id);
        return Results.Json(NodeApi.View(settings, await node.StatusAsync(id, ct)), ManagementJson.Options, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Removes a channel at runtime: it finishes its session and deliveries, then stops for good.</summary>
    private static async Task<IResult> RemoveAsync(string id, NodeApi node, ChannelConfigService config, CancellationToken ct)
    {
        if (await node.SettingsAsync(id, ct) is null)
        {
            return UnknownChannel(id);
        }
        if (config.ConfigPath is null)
        {
            return Problems.Conflict("this node was started without a configuration file: its channels cannot change at runtime");
        }
        return await ChangeAsync(config, node, dataDir => RuntimeChannels.Remove(dataDir, id))
            ?? Results.Json(new { id, removed = true }, ManagementJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>Changes channels.runtime.conf and applies it; a change the configuration refuses is undone (400 with the reason).</summary>
    private static async Task<IResult?> ChangeAsync(ChannelConfigService config, NodeApi node, Action<string> change)
    {
        var dataDir = config.Settings.DataDir;
        var before = RuntimeChannels.Snapshot(dataDir);
        change(dataDir);
        try
        {
            RecorderHost.Load(config.ConfigPath!);
        }
        catch (ConfigException ex)
        {
            RuntimeChannels.Restore(dataDir, before);
            return Problems.BadRequest(ex.Message);
        }
        await config.ReloadAsync();
        node.ChannelsChanged();
        return null;
    }

    public static IResult UnknownChannel(string id) => Problems.NotFound($"no channel '{id}'; GET /api/channels lists the channels");

    /// <summary>Reads an optional integer query parameter within [min, max]; false with the reason when it is not one.</summary>
    public static bool TryQueryNumber(HttpRequest request, string name, long min, long max, out long? value, out string error)
    {
        value = null;
        error = "";
        if (!request.Query.TryGetValue(name, out var text))
        {
            return true;
        }
        if (text.Count != 1 || !long.TryParse(text[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            error = $"query parameter '{name}' must be a whole number from {min} to {max}, got '{text}'";
            return false;
        }
        value = number;
        return true;
    }
}
