using ActorRecorder.Actors;
using ActorRecorder.Persistence;
using ActorRecorder.Persistence.CrashHost;
using ActorRecorder.Persistence.Sql.PostgreSql;
using ActorRecorder.Persistence.Sql.Sqlite;

// A process for the crash-safety tests: it writes events until it is killed.
//   crashhost --journal sqlite --path FILE [--pid ID]
//   crashhost --journal postgres --conn CONNECTION-STRING --schema SCHEMA [--pid ID]
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}
string Option(string name) => options.TryGetValue(name, out var value)
    ? value
    : throw new ArgumentException($"missing --{name}; usage: --journal sqlite --path FILE | --journal postgres --conn CS --schema S");

IAsyncDisposable owner;
PersistenceSettings settings;
switch (Option("journal"))
{
    case "sqlite":
        var sqlite = new SqlitePersistence(new SqliteOptions(Option("path")));
        (owner, settings) = (sqlite, sqlite.ToSettings(Counted.Serializer()));
        break;
    case "postgres":
        var postgres = new PostgreSqlPersistence(new PostgreSqlOptions(Option("conn")) { Schema = Option("schema") });
        (owner, settings) = (postgres, postgres.ToSettings(Counted.Serializer()));
        break;
    default:
        throw new ArgumentException($"unknown journal [{Option("journal")}]: sqlite or postgres");
}
await using (owner)
{
    var system = ActorSystem.Create("crashhost");
    system.UsePersistence(settings);
    var persistenceId = options.GetValueOrDefault("pid", "crash-writer");
    system.ActorOf(Props.Create(() => new CrashWriter(persistenceId)), "writer");
    await system.WhenTerminated;
}
