using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TwinCluster.Silo.Security;

/// <summary>
/// A self-signed certificate for localhost, 127.0.0.1 and ::1, for development only: made once as a PEM pair in the
/// security directory and reused until a month before it expires. Clients trust it by its file
/// (<c>mosquitto_pub --cafile</c>). Self-contained: other services pick their own file names.
/// </summary>
public static class DevelopmentCertificate
{
    /// <summary>The certificate and key files for <paramref name="name"/> in <paramref name="directory"/>, made when missing or expiring.</summary>
    public static (string CertificatePath, string KeyPath) Ensure(string directory, string name, TimeProvider? time = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var certificatePath = Path.Combine(directory, $"{name}-cert.pem");
        var keyPath = Path.Combine(directory, $"{name}-key.pem");
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            try
            {
                using var existing = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
                if (existing.NotAfter.ToUniversalTime() > now.UtcDateTime.AddDays(30))
                {
                    return (certificatePath, keyPath);
                }
            }
            catch (CryptographicException)
            {
                // Unreadable: make a new one below.
            }
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=TwinCluster development (localhost)", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        // Its own issuer: marked as a CA so TLS stacks accept it as the trust anchor of a --cafile.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        SecurityDirectory.WritePrivate(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        return (certificatePath, keyPath);
    }
}
