namespace TwinCluster.Ingress.Mqtt;

/// <summary>MQTT over TLS on the built-in broker (configuration section <c>TwinCluster:Mqtt:Tls</c>).</summary>
public sealed class EmbeddedBrokerTlsOptions
{
    /// <summary>The server certificate: a PEM file (with <see cref="KeyPath"/>, or the key in the same file) or a PKCS#12 (.pfx/.p12) file. TLS is on when set.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>, when it is a separate file.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The password of a PKCS#12 file or an encrypted PEM key.</summary>
    public string? Password { get; set; }

    /// <summary>The TLS port (default 8883; 0 picks a free one).</summary>
    public int Port { get; set; } = 8883;

    /// <summary>Serve only TLS: no plain MQTT listener at all (default false: both).</summary>
    public bool Required { get; set; }

    /// <summary>
    /// With no <see cref="CertificatePath"/>, make (once) and use a self-signed development certificate for
    /// localhost in <c>~/.twincluster/</c> (the silo does this; default false).
    /// </summary>
    public bool DevelopmentCertificate { get; set; }

    /// <summary>True when a certificate is configured.</summary>
    public bool IsEnabled => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary>Throws with the name of the first setting that is wrong.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "TwinCluster:Mqtt:Tls:Port must be between 0 and 65535");
        }

        if (Required && !IsEnabled)
        {
            throw new ArgumentException("TwinCluster:Mqtt:Tls:Required is true but TwinCluster:Mqtt:Tls:CertificatePath is not set", nameof(Required));
        }

        if (IsEnabled && !File.Exists(CertificatePath))
        {
            throw new ArgumentException($"TwinCluster:Mqtt:Tls:CertificatePath '{CertificatePath}' does not exist", nameof(CertificatePath));
        }

        if (KeyPath is { Length: > 0 } key && !File.Exists(key))
        {
            throw new ArgumentException($"TwinCluster:Mqtt:Tls:KeyPath '{key}' does not exist", nameof(KeyPath));
        }
    }

    /// <summary>Loads the certificate with its private key; throws naming the setting when it cannot.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2 Load()
    {
        try
        {
            var path = CertificatePath!;
            var extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension is ".pfx" or ".p12")
            {
                return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(path, Password);
            }

            var keyPath = KeyPath is { Length: > 0 } k ? k : path;
            using var pem = string.IsNullOrEmpty(Password)
                ? System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(path, keyPath)
                : System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromEncryptedPemFile(path, Password, keyPath);
            // A PEM-loaded key is ephemeral; SslStream on Linux accepts it, exporting keeps it usable everywhere.
            return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(pem.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or ArgumentException)
        {
            throw new ArgumentException($"TwinCluster:Mqtt:Tls:CertificatePath '{CertificatePath}' could not be loaded with its key: {ex.Message}", ex);
        }
    }
}
