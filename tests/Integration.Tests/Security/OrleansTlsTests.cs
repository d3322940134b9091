using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TwinCluster.Client;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Integration.Tests.Cluster;
using Xunit;

namespace TwinCluster.Integration.Tests.Security;

/// <summary>
/// A real silo whose Orleans traffic is mutual TLS (<c>TwinCluster:OrleansTls</c>): a client holding a certificate of
/// the cluster's CA reads through the gateway; one without TLS, and one with a certificate of another CA, are refused
/// in the handshake.
/// </summary>
public sealed class OrleansTlsTests : IAsyncLifetime
{
    private string _directory = "";
    private SiloProcess? _silo;

    public async ValueTask InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("twincluster-orleans-tls-").FullName;
        using var ca = NewCa("TwinCluster test cluster CA");
        Write(ca, "ca", withKey: false);
        Write(Issue(ca, "silo"), "silo");
        Write(Issue(ca, "client"), "client");
        using var stranger = NewCa("Someone else's CA");
        Write(Issue(stranger, "intruder"), "intruder");
        _silo = SiloProcess.Start(null, "orleanstls", new Dictionary<string, string>
        {
            ["TwinCluster__OrleansTls__CertificatePath"] = Path.Combine(_directory, "silo.pem"),
            ["TwinCluster__OrleansTls__KeyPath"] = Path.Combine(_directory, "silo.key"),
            ["TwinCluster__OrleansTls__CaPath"] = Path.Combine(_directory, "ca.pem"),
        });
        try
        {
            await _silo.WaitReadyAsync(1, TestContext.Current.CancellationToken);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Only_a_client_with_a_certificate_of_the_cluster_ca_reaches_the_gateway()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var member = await TwinClusterConnection.ConnectAsync(Options(Tls("client")), ct))
        {
            Assert.Null(await member.Client.GetTwin(new TwinCluster.Wire.TwinId("no-such-twin")).Get());
        }

        var plain = await Assert.ThrowsAsync<TwinConnectionException>(() => TwinClusterConnection.ConnectAsync(Options(null), ct));
        var foreign = await Assert.ThrowsAsync<TwinConnectionException>(() => TwinClusterConnection.ConnectAsync(Options(Tls("intruder")), ct));
        TestContext.Current.TestOutputHelper?.WriteLine($"without TLS: {plain.Message}\nanother CA: {foreign.Message}");
    }

    private TwinClientOptions Options(OrleansTls? tls)
    {
        var options = new TwinClientOptions { ClusterId = "orleanstls", ConnectTimeout = TimeSpan.FromSeconds(5), OrleansTls = tls };
        options.Gateways.Clear();
        options.Gateways.Add($"127.0.0.1:{_silo!.GatewayPort}");
        return options;
    }

    private OrleansTls Tls(string name) =>
        new(Path.Combine(_directory, name + ".pem"), Path.Combine(_directory, name + ".key"), Path.Combine(_directory, "ca.pem"));

    private static X509Certificate2 NewCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string name)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var subjectNames = new SubjectAlternativeNameBuilder();
        subjectNames.AddDnsName(OrleansTls.TargetHost);
        request.CertificateExtensions.Add(subjectNames.Build());
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }

    private void Write(X509Certificate2 certificate, string name, bool withKey = true)
    {
        File.WriteAllText(Path.Combine(_directory, name + ".pem"), certificate.ExportCertificatePem());
        if (withKey)
        {
            File.WriteAllText(Path.Combine(_directory, name + ".key"), certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        }
    }
}
