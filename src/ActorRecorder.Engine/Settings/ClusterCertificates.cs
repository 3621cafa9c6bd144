using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorRecorder.Engine.Settings;

/// <summary>
/// The cluster's certificates: loading a node's (PEM certificate and key) and its CA, checking a peer's against that
/// CA alone (the machine's trust store is not asked), and making a CA and node certificates for a new cluster.
/// </summary>
public static class ClusterCertificates
{
    /// <summary>The node's certificate with its private key.</summary>
    /// <exception cref="CryptographicException">A file is not PEM, or the key does not match the certificate.</exception>
    public static X509Certificate2 LoadNode(ClusterTlsSettings tls) => X509Certificate2.CreateFromPemFile(tls.CertificatePath, tls.KeyPath);

    /// <summary>The CA certificates.</summary>
    /// <exception cref="CryptographicException">The file holds no PEM certificate.</exception>
    public static X509Certificate2Collection LoadCa(string path)
    {
        var ca = new X509Certificate2Collection();
        ca.ImportFromPemFile(path);
        return ca.Count > 0 ? ca : throw new CryptographicException($"{path} holds no PEM certificate");
    }

    /// <summary>Whether <paramref name="certificate"/> chains up to one of <paramref name="ca"/> (and to nothing else), valid now.</summary>
    public static bool SignedBy(X509Certificate2 certificate, X509Certificate2Collection ca, out string problem)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // a private CA publishes no revocation list
        var ok = chain.Build(certificate);
        problem = ok ? "" : string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).DefaultIfEmpty("its chain does not end at the CA"));
        return ok;
    }

    /// <summary>
    /// Writes a new CA (<c>ca.pem</c>, <c>ca-key.pem</c>) and, per node name, <c>NAME.pem</c> and <c>NAME-key.pem</c>: ECDSA
    /// P-256, valid for <paramref name="validity"/>, usable as TLS server and client (each node is both), with the name (and
    /// <c>localhost</c>, <c>127.0.0.1</c>) as subject alternative names. Keys are written readable by their owner alone.
    /// An existing CA in <paramref name="folder"/> is reused, so nodes can be added later.
    /// </summary>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> Create(string folder, IReadOnlyList<string> nodes, TimeSpan validity, TimeProvider? time = null)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        var caPath = Path.Combine(folder, "ca.pem");
        var caKeyPath = Path.Combine(folder, "ca-key.pem");
        var now = (time ?? TimeProvider.System).GetUtcNow().AddMinutes(-5); // a peer whose clock is a little behind accepts it
        X509Certificate2 ca;
        if (File.Exists(caPath) && File.Exists(caKeyPath))
        {
            ca = X509Certificate2.CreateFromPemFile(caPath, caKeyPath);
        }
        else
        {
            using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=ActorRecorder cluster CA", caKey, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            ca = request.CreateSelfSigned(now, now + validity + TimeSpan.FromDays(1));
            File.WriteAllText(caPath, ca.ExportCertificatePem() + "\n");
            WritePrivate(caKeyPath, caKey.ExportPkcs8PrivateKeyPem());
            written.AddRange([caPath, caKeyPath]);
        }
        using (ca)
        {
            foreach (var node in nodes)
            {
                using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var request = new CertificateRequest(new X500DistinguishedName($"CN={node}"), key, HashAlgorithmName.SHA256);
                var names = new SubjectAlternativeNameBuilder();
                foreach (var name in new[] { node, "localhost" }.Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    if (IPAddress.TryParse(name, out var address))
                    {
                        names.AddIpAddress(address);
                    }
                    else
                    {
                        names.AddDnsName(name);
                    }
                }
                names.AddIpAddress(IPAddress.Loopback);
                request.CertificateExtensions.Add(names.Build());
                request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
                request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
                request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                    [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false)); // server and client authentication
                request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
                var serial = RandomNumberGenerator.GetBytes(16);
                serial[0] &= 0x7f; // a positive serial number
                using var certificate = request.Create(ca, now, now + validity, serial);
                var certificatePath = Path.Combine(folder, $"{node}.pem");
                var keyPath = Path.Combine(folder, $"{node}-key.pem");
                File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
                WritePrivate(keyPath, key.ExportPkcs8PrivateKeyPem());
                written.AddRange([certificatePath, keyPath]);
            }
        }
        return written;
    }

    private static void WritePrivate(string path, string pem)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // never readable by others, not even for a moment
        }
        using var stream = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // also when it existed
        }
        using var writer = new StreamWriter(stream);
        writer.Write(pem + "\n");
    }
}
