using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Integration.Tests.Api;
using TwinCluster.Integration.Tests.Cluster;
using TwinCluster.Integration.Tests.Infrastructure;
using TwinCluster.Integration.Tests.Telemetry;
using Xunit;

namespace TwinCluster.Integration.Tests.Scaling;

/// <summary>
/// What the container images hold, run as the images run it. This machine cannot pull the base images, so the test
/// makes the part of the image build that can be made here, the <c>dotnet publish</c> output of the silo and of
/// <c>twin-ingress</c> (the SDK's container support puts exactly that folder in the image), and runs each from it as
/// an unprivileged user that cannot write there (the images run as a non-root user on a read-only root filesystem):
/// the probes the manifests wire (<c>/healthz</c>, <c>/readyz</c>) answer, the HTTPS API signs in, and the dashboard's
/// scripts and styles come from the packages' static web assets in the publish output.
/// </summary>
public sealed class PublishedHostsTests
{
    private const int Nobody = 65534;

    [Fact]
    public async Task The_published_silo_and_ingress_run_unprivileged_from_a_folder_they_cannot_write()
    {
        var ct = TestContext.Current.CancellationToken;
        var work = Directory.CreateTempSubdirectory("twincluster-published-").FullName;
        // The temp folder is the test user's own (0700); the unprivileged host may read and list it, never write.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        try
        {
            var siloDir = await PublishAsync("src/Silo/TwinCluster.Silo.csproj", Path.Combine(work, "silo"), ct);
            var ingressDir = await PublishAsync("src/Ingress/Host/TwinCluster.Ingress.Host.csproj", Path.Combine(work, "ingress"), ct);
            Assert.True(File.Exists(Path.Combine(siloDir, "wwwroot", "_content", "MudBlazor", "MudBlazor.min.css")),
                "the publish output carries the dashboard's package assets under wwwroot/_content");

            // As root (CI), run as nobody; otherwise the test user is already unprivileged.
            var root = Environment.UserName == "root";
            IReadOnlyList<string>? launcher = root ? ["setpriv", $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--"] : null;
            var state = Path.Combine(work, "state");
            Directory.CreateDirectory(state);
            if (root)
            {
                await ChownAsync(state, ct);
            }

            var certificates = Path.Combine(state, "https");
            var clusterId = "pub-" + Guid.NewGuid().ToString("N")[..8];
            await using var silo = SiloProcess.Start(null, clusterId, new Dictionary<string, string>
            {
                ["TwinCluster__Security__Directory"] = Path.Combine(state, "security"),
                ["TwinCluster__Api__DevelopmentCertificateFolder"] = certificates,
                ["HOME"] = state,
                ["DOTNET_CLI_HOME"] = state,
            }, Path.Combine(siloDir, "TwinCluster.Silo.dll"), launcher);
            await silo.WaitReadyAsync(1, ct);
            if (root)
            {
                Assert.Equal(Nobody, UidOf(silo.ProcessId));
            }

            using (var plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{silo.HttpPort}") })
            {
                Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync("/healthz", ct)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync("/readyz", ct)).StatusCode);
            }

            var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Path.Combine(certificates, "ca.pem"), ct));
            using var handler = new SocketsHttpHandler { AllowAutoRedirect = false };
            handler.SslOptions.RemoteCertificateValidationCallback = CertificateTrust.ServerCallback(ca);
            using var https = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{silo.HttpsPort}") };
            using (var request = new HttpRequestMessage(HttpMethod.Get, $"/models?{ApiSilo.ApiVersion}"))
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", silo.AdminToken);
                using var models = await https.SendAsync(request, ct);
                Assert.Equal(HttpStatusCode.OK, models.StatusCode);
            }

            using (var css = await https.GetAsync("/_content/MudBlazor/MudBlazor.min.css", ct))
            {
                Assert.Equal(HttpStatusCode.OK, css.StatusCode);
                Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
            }

            using (var signIn = await https.GetAsync("/signin", ct))
            {
                Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
            }

            // twin-ingress from its own publish output, on the silo's built-in broker and gateway.
            var ingressHttp = FreeTcpPort.Next();
            var start = SiloProcess.DotnetCommand(Path.Combine(ingressDir, "twin-ingress.dll"), launcher);
            start.Environment["HOME"] = state;
            start.Environment["DOTNET_CLI_HOME"] = state;
            start.Environment["TwinCluster__ClusterId"] = clusterId;
            start.Environment["TwinCluster__Gateways"] = $"127.0.0.1:{silo.GatewayPort}";
            start.Environment["TwinCluster__HttpPort"] = ingressHttp.ToString(CultureInfo.InvariantCulture);
            start.Environment["TwinCluster__Ingress__Broker__Host"] = "127.0.0.1";
            start.Environment["TwinCluster__Ingress__Broker__Port"] = silo.MqttPort.ToString(CultureInfo.InvariantCulture);
            start.Environment["TwinCluster__Ingress__Broker__ClientId"] = "published-ingress";
            var output = new StringBuilder();
            using var ingress = Process.Start(start) ?? throw new InvalidOperationException("could not start twin-ingress");
            ingress.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            ingress.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            ingress.BeginOutputReadLine();
            ingress.BeginErrorReadLine();
            try
            {
                using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ingressHttp}"), Timeout = TimeSpan.FromSeconds(5) };
                var ready = await TelemetryTestKit.PollAsync(async () =>
                {
                    Assert.False(ingress.HasExited, $"twin-ingress exited with {(ingress.HasExited ? ingress.ExitCode : 0)}:\n{Text(output)}");
                    try
                    {
                        using var answer = await probe.GetAsync("/readyz", ct);
                        return answer.StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return HttpStatusCode.ServiceUnavailable;
                    }
                }, status => status == HttpStatusCode.OK, ct);
                Assert.Equal(HttpStatusCode.OK, ready);
                Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/healthz", ct)).StatusCode);
                if (root)
                {
                    Assert.Equal(Nobody, UidOf(ingress.Id));
                }
            }
            finally
            {
                ingress.Kill(entireProcessTree: true);
                await ingress.WaitForExitAsync(ct);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<string> PublishAsync(string project, string output, CancellationToken ct)
    {
        var path = Path.Combine(ApiSilo.RepositoryRoot(), project);
        var result = await ProcessRunner.RunAsync("dotnet", ["publish", path, "-c", "Release", "-o", output, "--no-restore", "-nologo", "-v", "q", "-nodeReuse:false"], TimeSpan.FromMinutes(10), ct);
        Assert.True(result.ExitCode == 0, $"dotnet publish {project} exited with {result.ExitCode}:\n{result.Output}");
        return output;
    }

    private static async Task ChownAsync(string path, CancellationToken ct)
    {
        var result = await ProcessRunner.RunAsync("chown", ["-R", $"{Nobody}:{Nobody}", path], TimeSpan.FromSeconds(30), ct);
        Assert.True(result.ExitCode == 0, $"chown: {result.Output}");
    }

    private static int UidOf(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        return int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
