using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Integration.Tests.Cluster;
using Xunit;

namespace TwinCluster.Integration.Tests.Api;

/// <summary>
/// A real silo process (embedded default) serving the HTTPS API on free loopback ports, and an HttpClient that trusts
/// exactly the development CA the silo created (no certificate checks switched off).
/// </summary>
public sealed class ApiSilo : IAsyncLifetime
{
    public const string ApiVersion = "api-version=2023-10-31";

    private SiloProcess? _silo;

    internal SiloProcess Process => _silo ?? throw new InvalidOperationException("not started");

    public HttpClient Http { get; private set; } = null!;

    public string ClusterId { get; } = "api-" + Guid.NewGuid().ToString("N")[..8];

    public Uri Endpoint => new($"https://127.0.0.1:{Process.HttpsPort}");

    public static string CaPath => Path.Combine(SiloProcess.CertificateFolder, "ca.pem");

    public async ValueTask InitializeAsync()
    {
        try
        {
            _silo = SiloProcess.Start(null, ClusterId);
            await _silo.WaitReadyAsync(1, TestContext.Current.CancellationToken);
            Http = CreateClient(Endpoint, _silo.AdminToken);
        }
        catch
        {
            // xunit v3 does not dispose a fixture whose set-up failed: stop the silo here, or it outlives the run.
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>The admin token the silo made at start.</summary>
    public string AdminToken => Process.AdminToken;

    /// <summary>A client trusting the test CA, signed in with <paramref name="token"/> when given.</summary>
    public static HttpClient CreateClient(Uri endpoint, string? token = null, Action<SocketsHttpHandler>? handler = null)
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(CaPath));
        var socketsHandler = new SocketsHttpHandler();
        socketsHandler.SslOptions.RemoteCertificateValidationCallback = CertificateTrust.ServerCallback(ca);
        handler?.Invoke(socketsHandler);
        var client = new HttpClient(socketsHandler) { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Stops the silo; safe to call more than once (a fixture that owns this one may call it after a failed set-up).</summary>
    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_silo is { } silo)
        {
            _silo = null;
            await silo.DisposeAsync();
        }
    }

    /// <summary>Sends a request with a JSON text body (or none) and returns the status and the parsed body.</summary>
    public async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? json = null,
        Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        configure?.Invoke(request);
        var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    /// <summary>The repository's starter models (models/dtmi/…), each file's JSON.</summary>
    public static IReadOnlyList<JsonNode> StarterModels()
    {
        var root = RepositoryRoot();
        return [.. Directory.GetFiles(Path.Combine(root, "models", "dtmi"), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!)];
    }

    public static string StarterModelsFolder => Path.Combine(RepositoryRoot(), "models", "dtmi", "twincluster", "windfarm");

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TwinCluster.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    public async Task UploadStarterModelsAsync()
    {
        var (status, body, _) = await SendAsync(HttpMethod.Post, $"/models?{ApiVersion}", new JsonArray([.. StarterModels().Select(m => m.DeepClone())]).ToJsonString());
        Assert.True(status is 201 or 409, $"starter models: {status} {body}");
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiSilo>
{
    public const string Name = "api";
}
