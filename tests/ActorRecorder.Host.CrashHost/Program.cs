using Akka.Actor;
using Akka.Hosting;
using ActorRecorder.Engine.Serialization;
using ActorRecorder.Engine.Settings;
using ActorRecorder.Host.CrashHost;
using ActorRecorder.Host.Journal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A process for the journal crash specs: it writes events through the node's own journal setup until it is killed.
//   crashhost --journal sqlite --path FILE --pid ID
//   crashhost --journal postgres --conn CONNECTION-STRING --pid ID
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}
string Option(string name) => options.TryGetValue(name, out var value)
    ? value
    : throw new ArgumentException($"missing --{name}; usage: --journal sqlite --path FILE --pid ID | --journal postgres --conn CS --pid ID");

var journal = Option("journal") switch
{
    "sqlite" => new JournalSettings(JournalKind.Sqlite, Path.GetFullPath(Option("path")), null),
    "postgres" => new JournalSettings(JournalKind.Postgres, "unused.db", Option("conn")),
    var other => throw new ArgumentException($"unknown journal [{other}]: sqlite or postgres"),
};
var persistenceId = Option("pid");
await JournalSetup.PrepareAsync(journal);
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
builder.Services.AddAkka("crashhost", akka => akka
    .WithCustomSerializer("recorder", [typeof(IRecorderMessage)], system => new RecorderSerializer(system))
    .WithRecorderJournal(journal)
    .ConfigureLoggers(loggers =>
    {
        loggers.ClearLoggers();
        loggers.AddLoggerFactory();
    })
    .WithActors((system, _) => system.ActorOf(Props.Create(() => new CrashWriter(persistenceId)), "writer")));
using var host = builder.Build();
await host.RunAsync();
