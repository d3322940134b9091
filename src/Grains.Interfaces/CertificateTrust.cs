using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// Trust in one CA only (custom root trust), as TwinCluster's clients use it for a silo's development or cluster CA:
/// the presented certificate must chain to that CA, not merely to any CA the system trusts. Revocation is not checked
/// (a private CA publishes no revocation list).
/// </summary>
public static class CertificateTrust
{
    /// <summary>True when <paramref name="presented"/> chains to <paramref name="ca"/>.</summary>
    public static bool ChainsTo(X509Certificate2 ca, X509Certificate? presented)
    {
        if (presented is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is X509Certificate2 leaf)
        {
            return chain.Build(leaf);
        }

        using var copy = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        return chain.Build(copy);
    }

    /// <summary>
    /// A server-certificate check for an HTTPS or MQTT-over-TLS client: the host name must match as usual, and the chain
    /// must end at <paramref name="ca"/> (a chain error alone, as the system's store does not know the CA, is expected).
    /// </summary>
    public static RemoteCertificateValidationCallback ServerCallback(X509Certificate2 ca) =>
        (_, certificate, _, errors) =>
            (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None && ChainsTo(ca, certificate);
}
