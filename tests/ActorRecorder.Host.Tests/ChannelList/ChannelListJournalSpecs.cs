using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using ActorRecorder.Engine.Channel;
using ActorRecorder.Engine.Serialization;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Host.Channels;
using ActorRecorder.Host.Journal;
using LinqToDB;
using LinqToDB.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorRecorder.Host.Tests.ChannelList;

/// <summary>
/// The channel list entity on a real (SQLite) journal: it journals settings with the bot token's reference only, and
/// a journal of an earlier version, whose events held the token itself, is rewritten without it on the next start.
/// </summary>
public sealed class ChannelListJournalSpecs : IDisposable
{
    private const string LegacyToken = "123456:legacy-token-in-the-journal";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _folder = Directory.CreateTempSubdirectory("ar-list-journal-").FullName;

    private JournalSettings Journal => new(JournalKind.Sqlite, Path.Combine(_folder, "journal.db"), null);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact(Timeout = 90_000)]
    public async Task A_journal_holding_a_token_from_an_earlier_version_must_keep_only_its_reference_after_the_next_start()
    {
        await JournalSetup.PrepareAsync(Journal);
        var settings = EngineSettings.Load(Hocon.ConfigurationFactory.ParseString($$"""
            actor-recorder.upload { targets = [telegram], telegram { bot-token = "{{LegacyToken}}", chat-id = "-1001" } }
            actor-recorder.channels = [ { id = a, url = "https://x.example/a.m3u8" } ]
            """)).Channels.Single();
        using (var node = await StartAsync())
        {
            var list = node.Services.GetRequiredService<ActorSystem>().ActorOf(ChannelListActor.Props(), "first");
            var stated = await list.Ask<ChannelsStated>(new StateChannels("node-1", [settings], []), Patience);
            Assert.Equal(["a"], stated.Added);
            await list.GracefulStop(Patience);
            await node.StopAsync();
        }
        Assert.Equal(1, await RowsHoldingAsync("journal", "message", SecretRef.TelegramBotToken.Key));
        // What a version before references wrote: the token itself where the reference is now.
        await RewriteAsync($"UPDATE journal SET message = CAST(replace(CAST(message AS TEXT), '{SecretRef.TelegramBotToken.Key}', '{LegacyToken}') AS BLOB)");
        Assert.Equal(1, await RowsHoldingAsync("journal", "message", LegacyToken));

        using (var node = await StartAsync())
        {
            var list = node.Services.GetRequiredService<ActorSystem>().ActorOf(ChannelListActor.Props(), "second");
            var current = await list.Ask<Engine.Channel.ChannelList>(new GetChannelList(), Patience);
            Assert.Equal(SecretRef.TelegramBotToken, Assert.Single(current.Channels).Delivery.Telegram?.BotToken);
            Assert.Equal(2, current.Version); // answered once the compaction's marker (the 2nd event) is journaled

            // Recovered with an event after its last snapshot: it saves one and deletes the events before it.
            using var deadline = new CancellationTokenSource(Patience);
            while (await RowsHoldingAsync("journal", "message", LegacyToken) > 0)
            {
                Assert.False(deadline.IsCancellationRequested, "the legacy event is still in the journal");
                await Task.Delay(50);
            }
            Assert.Equal(0, await RowsHoldingAsync("snapshot", "snapshot", LegacyToken));
            Assert.Equal(1, await RowsHoldingAsync("snapshot", "snapshot", SecretRef.TelegramBotToken.Key));
            await list.GracefulStop(Patience);
            await node.StopAsync();
        }

        using (var node = await StartAsync())
        {
            var list = node.Services.GetRequiredService<ActorSystem>().ActorOf(ChannelListActor.Props(), "third");
            var current = await list.Ask<Engine.Channel.ChannelList>(new GetChannelList(), Patience);
            Assert.Equal(2, current.Version); // the version (the compaction's marker is the 2nd event) survives the deleted events
            Assert.Equal("a", Assert.Single(current.Channels).Id);
        }
    }

    private async Task<IHost> StartAsync()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddAkka("list-journal", akka => akka
            .WithRemoting("127.0.0.1", 0)
            .WithClustering()
            .WithCustomSerializer("recorder", [typeof(IRecorderMessage)], system => new RecorderSerializer(system))
            .WithRecorderJournal(Journal));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private async Task<long> RowsHoldingAsync(string table, string column, string text)
    {
        using var connection = new DataConnection(JournalSetup.SqliteDataOptions(Journal.SqlitePath));
        return await connection.ExecuteAsync<long>($"SELECT count(*) FROM {table} WHERE instr(CAST({column} AS TEXT), @text) > 0",
            new DataParameter("text", text));
    }

    private async Task RewriteAsync(string sql)
    {
        using var connection = new DataConnection(JournalSetup.SqliteDataOptions(Journal.SqlitePath));
        await connection.ExecuteAsync(sql);
    }
}
