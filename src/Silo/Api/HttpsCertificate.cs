using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TwinCluster.Silo.Api;

/// <summary>
/// The certificate the API serves: the operator's, or a development one. The development certificate is a leaf for
/// localhost and 127.0.0.1 signed by a CA of its own, both created on first start; clients trust <see cref="TrustPath"/>
/// (the CA's PEM, e.g. NODE_EXTRA_CA_CERTS). Several silos starting at once share one pair through a lock file.
/// </summary>
public sealed record HttpsCertificate(X509Certificate2 Certificate, string Source, string? TrustPath)
{
    private const string CaFile = "ca.pem";
    private const string CertFile = "server.pem";
    private const string KeyFile = "server.key";

    public static HttpsCertificate Load(ApiOptions options)
    {
        if (options.CertificatePath is { Length: > 0 } path)
        {
            return LoadConfigured(path, options.KeyPath, options.CertificatePassword);
        }

        var folder = options.DevelopmentCertificateFolder is { Length: > 0 } f
            ? f
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".twincluster", "https");
        return LoadOrCreateDevelopment(folder);
    }

    private static HttpsCertificate LoadConfigured(string path, string? keyPath, string? password)
    {
        if (!File.Exists(path))
        {
            throw new Hosting.InvalidConfigurationException($"{ApiOptions.Section}:CertificatePath '{path}' does not exist");
        }

        try
        {
            var certificate = path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase)
                ? X509CertificateLoader.LoadPkcs12FromFile(path, password)
                : X509Certificate2.CreateFromPemFile(path, keyPath);
            if (!certificate.HasPrivateKey)
            {
                throw new Hosting.InvalidConfigurationException($"{ApiOptions.Section}:CertificatePath '{path}' has no private key; set {ApiOptions.Section}:KeyPath");
            }

            return new HttpsCertificate(certificate, path, null);
        }
        catch (CryptographicException ex)
        {
            throw new Hosting.InvalidConfigurationException($"{ApiOptions.Section}:CertificatePath '{path}' could not be read: {ex.Message}");
        }
    }

    private static HttpsCertificate LoadOrCreateDevelopment(string folder)
    {
        Directory.CreateDirectory(folder);
        string ca = Path.Combine(folder, CaFile), cert = Path.Combine(folder, CertFile), key = Path.Combine(folder, KeyFile);
        using var gate = Lock(Path.Combine(folder, ".lock"));
        if (File.Exists(ca) && File.Exists(cert) && File.Exists(key))
        {
            var existing = X509Certificate2.CreateFromPemFile(cert, key);
            if (existing.NotAfter > DateTime.Now.AddDays(7))
            {
                return new HttpsCertificate(existing, cert, ca);
            }
        }

        var (caPem, certPem, keyPem) = CreateDevelopment();
        File.WriteAllText(key, keyPem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(cert, certPem);
        File.WriteAllText(ca, caPem);
        return new HttpsCertificate(X509Certificate2.CreateFromPemFile(cert, key), cert, ca);
    }

    private static (string Ca, string Cert, string Key) CreateDevelopment()
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=TwinCluster development CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var caCert = caRequest.CreateSelfSigned(now, now.AddYears(5));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caCert, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var server = request.Create(caCert, now, now.AddYears(1), serial);
        return (caCert.ExportCertificatePem(), server.ExportCertificatePem(), serverKey.ExportPkcs8PrivateKeyPem());
    }

    private static FileStream Lock(string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // Another silo is creating the certificate: wait for it rather than make a second pair.
                Thread.Sleep(50);
            }
        }
    }
}
