using System.ComponentModel.DataAnnotations;

namespace TwinCluster.Silo.Api;

/// <summary>
/// The HTTPS API's settings, section <c>TwinCluster:Api</c>. The port is <c>TwinCluster:HttpsPort</c>. Without a
/// certificate the silo creates a development one under <see cref="DevelopmentCertificateFolder"/>.
/// </summary>
public sealed class ApiOptions
{
    public const string Section = "TwinCluster:Api";

    /// <summary>An operator's certificate: a PEM file (with <see cref="KeyPath"/>) or a PKCS#12 file.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>; unset for a PKCS#12 file or a PEM holding its key.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The password of a PKCS#12 certificate file.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Where the development certificate is kept (created on first start); <c>~/.twincluster/https</c> when unset.</summary>
    public string? DevelopmentCertificateFolder { get; set; }

    /// <summary>The largest JSON body of a twin, relationship, model upload, query or telemetry request.</summary>
    [Range(1_024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The largest NDJSON body of an import job.</summary>
    [Range(1_024, int.MaxValue)]
    public int MaxImportBytes { get; set; } = 256 * 1024 * 1024;

    /// <summary>
    /// Failed sign-ins (bad, unknown, revoked or expired tokens) one source address may make per minute; past it,
    /// every request from there that carries credentials gets 429 with <c>Retry-After</c> until the minute is over.
    /// </summary>
    [Range(1, 1_000_000)]
    public int FailedSignInsPerMinute { get; set; } = 30;

    /// <summary>Requests one principal may make per second on average (a token bucket); 0 switches the limit off.</summary>
    [Range(0, 1_000_000)]
    public int RequestsPerSecond { get; set; } = 2_000;

    /// <summary>The bucket's size: how many requests one principal may make at once after a quiet spell.</summary>
    [Range(1, 10_000_000)]
    public int RequestBurst { get; set; } = 4_000;
}
