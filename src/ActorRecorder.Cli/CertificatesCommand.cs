using System.CommandLine;
using ActorRecorder.Engine.Settings;

namespace ActorRecorder.Cli;

/// <summary>
/// <c>certificates --out DIR [--days N] NODE...</c>: a CA and a certificate per node for the cluster's mutual TLS
/// (<c>actor-recorder.cluster.tls</c>). Run again with more names to add nodes: the CA in DIR is reused.
/// </summary>
internal static class CertificatesCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "The folder to write them to (created if missing)", Required = true };
        var days = new Option<int>("--days") { Description = "How long the node certificates are valid, in days", DefaultValueFactory = _ => 825 };
        var nodes = new Argument<string[]>("node")
        {
            Description = "Each node's name: the host name (or address) the other nodes reach it by, its public-hostname",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("certificates", "Make a CA and a certificate per node for the cluster's mutual TLS (cluster.tls); an existing CA in --out is reused")
        {
            output, days, nodes,
        };
        command.SetAction(parseResult =>
        {
            var folder = parseResult.GetValue(output)!.FullName;
            var validity = parseResult.GetValue(days);
            var names = parseResult.GetValue(nodes)!;
            if (validity < 1)
            {
                Console.Error.WriteLine("error: --days must be at least 1");
                return 2;
            }
            var bad = names.FirstOrDefault(n => n.Length == 0 || n.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '_')));
            if (bad is not null)
            {
                Console.Error.WriteLine($"error: '{bad}' is not a host name or address");
                return 2;
            }
            foreach (var file in ClusterCertificates.Create(folder, names, TimeSpan.FromDays(validity)))
            {
                Console.WriteLine(file);
            }
            Console.WriteLine($"""
                On each node (NAME its name), in actor-recorder.cluster:
                  tls {"{"} enabled = on, certificate = "{folder}/NAME.pem", private-key = "{folder}/NAME-key.pem", ca = "{folder}/ca.pem" {"}"}
                Give each node its own key and ca.pem only; keep ca-key.pem away from the nodes (it signs new ones).
                """);
            return 0;
        });
        return command;
    }
}
