using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// Mutual TLS for Orleans' own traffic (silo to silo, client to gateway), section <c>TwinCluster:OrleansTls</c>: each
/// process presents <see cref="CertificatePath"/> (PEM, its key in <see cref="KeyPath"/> or in the same file) and
/// accepts only peers whose certificate chains to the cluster's CA (<see cref="CaPath"/>). Host names are not checked:
/// the CA is the identity of the cluster. Silos, the ingress and Orleans clients read the same settings.
/// </summary>
public sealed record OrleansTls(string CertificatePath, string? KeyPath, string CaPath)
{
    /// <summary>The configuration section.</summary>
    public const string Section = "TwinCluster:OrleansTls";

    /// <summary>The host name sent in the TLS handshake (SNI); peers are recognised by the CA, not by it.</summary>
    public const string TargetHost = "twincluster";

    /// <summary>The settings from <paramref name="setting"/> (a configuration lookup), or null when TLS is not configured.</summary>
    public static OrleansTls? From(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var certificate = setting($"{Section}:CertificatePath");
        if (string.IsNullOrWhiteSpace(certificate))
        {
            return null;
        }

        var ca = setting($"{Section}:CaPath");
        if (string.IsNullOrWhiteSpace(ca))
        {
            throw new InvalidOperationException($"{Section}:CaPath must be set with {Section}:CertificatePath: the CA whose certificates the cluster's processes accept");
        }

        var tls = new OrleansTls(certificate, setting($"{Section}:KeyPath") is { Length: > 0 } key ? key : null, ca);
        foreach (var (name, path) in new[] { ("CertificatePath", tls.CertificatePath), ("KeyPath", tls.KeyPath), ("CaPath", tls.CaPath) })
        {
            if (path is not null && !File.Exists(path))
            {
                throw new InvalidOperationException($"{Section}:{name} '{path}' does not exist");
            }
        }

        return tls;
    }

    /// <summary>This process's certificate with its private key, usable by SslStream on every platform.</summary>
    public X509Certificate2 LoadCertificate()
    {
        using var pem = X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath);
        // Linux's SslStream needs the key in a persisted form: a PKCS#12 round trip gives it one.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Accepts a peer certificate that chains to the cluster's CA (and nothing else).</summary>
    public Func<X509Certificate2?, SslPolicyErrors, bool> Validator()
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(CaPath);
        return (presented, _) => CertificateTrust.ChainsTo(ca, presented);
    }
}
