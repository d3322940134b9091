using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.ServerSentEvents;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Cli.Http;

/// <summary>
/// The CLI's HTTP connection: TwinCluster's API over HTTPS with a bearer token, trusting exactly the configured CA
/// (or the system store). Answers are read into the same types the grains return, so the commands print what they
/// printed through the gateway; refusals become <see cref="ApiAccessException"/> or <see cref="ApiErrorException"/>.
/// </summary>
public sealed class TwinApi : IDisposable
{
    /// <summary>The ADT api-version the silo implements.</summary>
    public const string AdtVersion = "2023-10-31";

    /// <summary>How answers are read: web names, enums as names, NaN allowed (empty history buckets).</summary>
    public static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;
    private readonly X509Certificate2? _ca;

    public TwinApi(ApiSettings settings, TimeSpan connectTimeout)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        var handler = new SocketsHttpHandler { ConnectTimeout = connectTimeout > TimeSpan.Zero ? connectTimeout : TimeSpan.FromSeconds(15) };
        if (settings.CaCertificate is { } caFile)
        {
            _ca = X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
            var ca = _ca;
            // Custom root trust: the chain must end at this CA (not merely any CA the system trusts); names are checked as usual.
            handler.SslOptions.RemoteCertificateValidationCallback = CertificateTrust.ServerCallback(ca);
        }

        _http = new HttpClient(handler) { BaseAddress = settings.Url, Timeout = Timeout.InfiniteTimeSpan };
        if (settings.Token is { } token)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("twin-cli", "1"));
    }

    public ApiSettings Settings { get; }

    public void Dispose()
    {
        _http.Dispose();
        _ca?.Dispose();
    }

    // ---- twins, relationships, query (/api/v1) ----

    public Task<TwinSnapshot> GetTwinAsync(string id, DateTimeOffset? asOf, CancellationToken ct) =>
        SendAsync<TwinSnapshot>(HttpMethod.Get, $"api/v1/twins/{E(id)}" + (asOf is { } at ? $"?asOf={E(at.ToString("O"))}" : ""), null, null, ct);

    public Task<TwinSnapshot> CreateTwinAsync(string id, string model, string propertiesJson, CancellationToken ct) =>
        SendAsync<TwinSnapshot>(HttpMethod.Post, "api/v1/twins", Json(new { id, model, properties = JsonDocument.Parse(propertiesJson).RootElement }), null, ct);

    public Task<TwinSnapshot> ReplaceTwinAsync(string id, string propertiesJson, string? ifMatch, CancellationToken ct) =>
        SendAsync<TwinSnapshot>(HttpMethod.Put, $"api/v1/twins/{E(id)}/properties", Raw(propertiesJson), ifMatch, ct);

    public Task<TwinSnapshot> PatchTwinAsync(string id, string patchJson, string? ifMatch, CancellationToken ct) =>
        SendAsync<TwinSnapshot>(HttpMethod.Patch, $"api/v1/twins/{E(id)}", Raw(patchJson), ifMatch, ct);

    public async Task<int> DeleteTwinAsync(string id, string? ifMatch, bool cascade, CancellationToken ct) =>
        (await SendAsync<TwinDeletedView>(HttpMethod.Delete, $"api/v1/twins/{E(id)}" + (cascade ? "?cascade=true" : ""), null, ifMatch, ct)).RelationshipsRemoved;

    public Task<ImmutableArray<IndexEntry>> TreeAsync(string id, CancellationToken ct) =>
        SendAsync<ImmutableArray<IndexEntry>>(HttpMethod.Get, $"api/v1/twins/{E(id)}/tree", null, null, ct);

    public Task<ImmutableArray<Relationship>> RelationshipsAsync(string id, string? name, CancellationToken ct) =>
        SendAsync<ImmutableArray<Relationship>>(HttpMethod.Get, $"api/v1/twins/{E(id)}/relationships" + (name is null ? "" : $"?name={E(name)}"), null, null, ct);

    public Task<ImmutableArray<IncomingRelationship>> IncomingAsync(string id, string? name, CancellationToken ct) =>
        SendAsync<ImmutableArray<IncomingRelationship>>(HttpMethod.Get, $"api/v1/twins/{E(id)}/incoming" + (name is null ? "" : $"?name={E(name)}"), null, null, ct);

    public Task<Relationship> AddRelationshipAsync(string source, string relationshipId, string name, string target, string propertiesJson, string? ifMatch, CancellationToken ct) =>
        SendAsync<Relationship>(HttpMethod.Put, $"api/v1/twins/{E(source)}/relationships/{E(relationshipId)}",
            Json(new { name, target, properties = JsonDocument.Parse(propertiesJson).RootElement }), ifMatch, ct);

    public Task RemoveRelationshipAsync(string source, string relationshipId, string? ifMatch, CancellationToken ct) =>
        SendAsync<JsonElement?>(HttpMethod.Delete, $"api/v1/twins/{E(source)}/relationships/{E(relationshipId)}", null, ifMatch, ct);

    public Task<TwinQueryPage> QueryAsync(TwinQuery query, CancellationToken ct) =>
        SendAsync<TwinQueryPage>(HttpMethod.Post, "api/v1/query", Json(query), null, ct);

    // ---- models ----

    /// <summary>Uploads a model set; a refused set comes back as its result (every error), not as an exception.</summary>
    public async Task<ModelUploadResult> UploadModelsAsync(IReadOnlyList<string> documents, CancellationToken ct)
    {
        using var response = await ExchangeAsync(HttpMethod.Post, "api/v1/models", Json(new { documents }), null, ct);
        if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            return await ReadAsync<ModelUploadResult>(response, ct);
        }

        await EnsureSuccessAsync(response, ct);
        return await ReadAsync<ModelUploadResult>(response, ct);
    }

    public Task<ImmutableArray<ModelInfo>> ListModelsAsync(CancellationToken ct) =>
        SendAsync<ImmutableArray<ModelInfo>>(HttpMethod.Get, "api/v1/models", null, null, ct);

    public Task<ModelDocumentView> GetModelAsync(string id, CancellationToken ct) =>
        SendAsync<ModelDocumentView>(HttpMethod.Get, $"api/v1/models/{E(id)}", null, null, ct);

    /// <summary>ADT's model update: the one patch it takes.</summary>
    public Task DecommissionModelAsync(string id, CancellationToken ct) =>
        SendAsync<JsonElement?>(HttpMethod.Patch, $"models/{E(id)}?api-version={AdtVersion}", Raw("""[{"op":"replace","path":"/decommissioned","value":true}]"""), null, ct);

    public Task DeleteModelAsync(string id, CancellationToken ct) =>
        SendAsync<JsonElement?>(HttpMethod.Delete, $"models/{E(id)}?api-version={AdtVersion}", null, null, ct);

    // ---- import jobs (ADT) ----

    public Task<ImportJobView> StartImportAsync(string jobId, Stream ndjson, CancellationToken ct)
    {
        var content = new StreamContent(ndjson);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        return SendAsync<ImportJobView>(HttpMethod.Put, $"jobs/imports/{E(jobId)}?api-version={AdtVersion}", content, null, ct);
    }

    public Task<ImportJobView> GetImportAsync(string jobId, CancellationToken ct) =>
        SendAsync<ImportJobView>(HttpMethod.Get, $"jobs/imports/{E(jobId)}?api-version={AdtVersion}", null, null, ct);

    public Task<ImportJobView> CancelImportAsync(string jobId, CancellationToken ct) =>
        SendAsync<ImportJobView>(HttpMethod.Post, $"jobs/imports/{E(jobId)}/cancel?api-version={AdtVersion}", null, null, ct);

    public Task DeleteImportAsync(string jobId, CancellationToken ct) =>
        SendAsync<JsonElement?>(HttpMethod.Delete, $"jobs/imports/{E(jobId)}?api-version={AdtVersion}", null, null, ct);

    // ---- health, alerts, telemetry, changes ----

    public Task<HealthNodeView> HealthAsync(string id, int depth, CancellationToken ct) =>
        SendAsync<HealthNodeView>(HttpMethod.Get, $"api/v1/health/{E(id)}?depth={depth}", null, null, ct);

    public Task<ImmutableArray<AlertView>> AlertsAsync(bool all, string? under, CancellationToken ct) =>
        SendAsync<ImmutableArray<AlertView>>(HttpMethod.Get, $"api/v1/alerts?all={(all ? "true" : "false")}" + (under is null ? "" : $"&under={E(under)}"), null, null, ct);

    public Task<AlertView> AcknowledgeAsync(string twin, string? by, string? note, CancellationToken ct) =>
        SendAsync<AlertView>(HttpMethod.Post, $"api/v1/alerts/{E(twin)}/acknowledge", Json(new { by, note }), null, ct);

    public Task<TelemetryStatusView> TelemetryAsync(string id, CancellationToken ct) =>
        SendAsync<TelemetryStatusView>(HttpMethod.Get, $"api/v1/telemetry/{E(id)}", null, null, ct);

    public Task<ImmutableDictionary<string, long>> DeadLetterCountsAsync(CancellationToken ct) =>
        SendAsync<ImmutableDictionary<string, long>>(HttpMethod.Get, "api/v1/telemetry/deadletters/counts", null, null, ct);

    public Task<DeadLetterPageView> DeadLettersAsync(string? twin, string? reason, int pageSize, string? continuation, CancellationToken ct)
    {
        var query = new StringBuilder($"api/v1/telemetry/deadletters?pageSize={pageSize}");
        Append(query, "twin", twin);
        Append(query, "reason", reason);
        Append(query, "continuation", continuation);
        return SendAsync<DeadLetterPageView>(HttpMethod.Get, query.ToString(), null, null, ct);
    }

    /// <summary>
    /// The change stream from where <paramref name="lastEventId"/> left off (null: from now). The first item is the
    /// stream's "open" event, sent once the server listens: whatever changes after it is in the stream.
    /// </summary>
    public async IAsyncEnumerable<SseItem<string>> ChangesAsync(string? under, string? kinds, string? lastEventId, [EnumeratorCancellation] CancellationToken ct)
    {
        var query = new StringBuilder("api/v1/changes?");
        Append(query, "under", under);
        Append(query, "kind", kinds);
        using var request = new HttpRequestMessage(HttpMethod.Get, query.ToString().TrimEnd('?'));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureSuccessAsync(response, ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(ct))
        {
            yield return item;
        }
    }

    // ---- history ----

    public Task<HistoryTrend> TrendAsync(HistoryTrendQuery query, CancellationToken ct) =>
        SendAsync<HistoryTrend>(HttpMethod.Post, "api/v1/history/trend", Json(query), null, ct);

    public Task<ImmutableArray<HistoryChange>> HistoryChangesAsync(string id, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        SendAsync<ImmutableArray<HistoryChange>>(HttpMethod.Get, $"api/v1/history/{E(id)}/changes?from={E(from.ToString("O"))}&to={E(to.ToString("O"))}", null, null, ct);

    // ---- security (admin) ----

    public Task<IssuedApiToken> CreateTokenAsync(SecurityRole role, string? scope, TimeSpan? expiresIn, string? name, CancellationToken ct) =>
        SendAsync<IssuedApiToken>(HttpMethod.Post, "api/v1/auth/tokens", Json(new { role = role.ToString().ToLowerInvariant(), scope, expiresIn, name }), null, ct);

    public Task<ImmutableArray<ApiTokenInfo>> ListTokensAsync(CancellationToken ct) =>
        SendAsync<ImmutableArray<ApiTokenInfo>>(HttpMethod.Get, "api/v1/auth/tokens", null, null, ct);

    public Task<ApiTokenInfo> RevokeTokenAsync(string id, CancellationToken ct) =>
        SendAsync<ApiTokenInfo>(HttpMethod.Delete, $"api/v1/auth/tokens/{E(id)}", null, null, ct);

    public Task<DeviceCredential> AddDeviceAsync(string twin, IReadOnlyList<string> twins, CancellationToken ct) =>
        SendAsync<DeviceCredential>(HttpMethod.Post, "api/v1/devices", Json(new { twin, twins }), null, ct);

    public Task<ImmutableArray<DeviceInfo>> ListDevicesAsync(CancellationToken ct) =>
        SendAsync<ImmutableArray<DeviceInfo>>(HttpMethod.Get, "api/v1/devices", null, null, ct);

    public Task<DeviceCredential> RotateDeviceAsync(string username, CancellationToken ct) =>
        SendAsync<DeviceCredential>(HttpMethod.Post, $"api/v1/devices/{E(username)}/rotate", null, null, ct);

    public Task<DeviceInfo> RevokeDeviceAsync(string username, CancellationToken ct) =>
        SendAsync<DeviceInfo>(HttpMethod.Delete, $"api/v1/devices/{E(username)}", null, null, ct);

    public Task<MosquittoExport> ExportMosquittoAsync(string? serviceUser, string? servicePassword, CancellationToken ct) =>
        SendAsync<MosquittoExport>(HttpMethod.Post, "api/v1/devices/export/mosquitto", Json(new { serviceUser, servicePassword }), null, ct);

    public Task<ImmutableArray<AuditEntry>> AuditAsync(string? twin, string? by, DateTimeOffset? since, int limit, CancellationToken ct)
    {
        var query = new StringBuilder($"api/v1/audit?limit={limit}");
        Append(query, "twin", twin);
        Append(query, "by", by);
        Append(query, "since", since?.ToString("O"));
        return SendAsync<ImmutableArray<AuditEntry>>(HttpMethod.Get, query.ToString(), null, null, ct);
    }

    // ---- commands (/api/v1/twins/{id}/commands) ----

    /// <summary>
    /// Invokes a command and waits for the device's answer. Every outcome the twin tells apart (answered, refused,
    /// offline, timed out, invalid response) comes back as a result; an invalid request is a refusal (400).
    /// </summary>
    public async Task<CommandResult> InvokeCommandAsync(string twin, string name, string? payloadJson, double timeoutSeconds, string commandId, double? queueForSeconds,
        CancellationToken ct)
    {
        var path = new StringBuilder($"api/v1/twins/{E(twin)}/commands/{E(name)}?timeout={timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        Append(path, "id", commandId);
        Append(path, "queueFor", queueForSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await ExchangeAsync(HttpMethod.Post, path.ToString(), payloadJson is null ? null : Raw(payloadJson), null, ct);
        if ((int)response.StatusCode is 409 or 502 or 503 or 504 && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (text.Contains("\"commandId\"", StringComparison.Ordinal))
            {
                return ToResult(JsonSerializer.Deserialize<CommandAnswer>(text, Wire)!);
            }
        }

        await EnsureSuccessAsync(response, ct);
        return ToResult((await response.Content.ReadFromJsonAsync<CommandAnswer>(Wire, ct))!);
    }

    private static CommandResult ToResult(CommandAnswer a) =>
        new(a.TwinId, a.CommandId, a.Name, a.Outcome, a.Status, a.Payload?.GetRawText(), a.Message, a.RequestedAt, a.CompletedAt);

    private sealed record CommandAnswer(string TwinId, string CommandId, string Name, CommandOutcome Outcome, int? Status, JsonElement? Payload,
        string? Message, DateTimeOffset RequestedAt, DateTimeOffset CompletedAt);

    // ---- the exchange ----

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, string? ifMatch, CancellationToken ct)
    {
        using var response = await ExchangeAsync(method, path, content, ifMatch, ct);
        await EnsureSuccessAsync(response, ct);
        return await ReadAsync<T>(response, ct);
    }

    private async Task<HttpResponseMessage> ExchangeAsync(HttpMethod method, string path, HttpContent? content, string? ifMatch, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (ifMatch is not null)
        {
            // The ETags are W/"…" values; sent as given (TryAdd skips the header parser's opinion of them).
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, ct);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        try
        {
            return await _http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.SecureConnectionError || ex.InnerException is System.Security.Authentication.AuthenticationException)
        {
            throw new ApiUnreachableException(
                $"the TLS handshake with {Settings.Url} failed ({Innermost(ex)}): " +
                (Settings.CaCertificate is { } ca
                    ? $"its certificate is not signed by the CA in {ca}; give the silo's CA with --cacert or TWIN_CACERT"
                    : "no CA was given and the system does not trust its certificate; give the silo's CA with --cacert or TWIN_CACERT (the embedded default's is ~/.twincluster/https/ca.pem)"),
                ex);
        }
        catch (HttpRequestException ex)
        {
            var refused = ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };
            throw new ApiUnreachableException(
                $"no TwinCluster silo answers at {Settings.Url} ({(refused ? "connection refused" : Innermost(ex))}). " +
                "Start one with 'dotnet run --project src/Silo' (the embedded default serves https://127.0.0.1:8443), or point the CLI at yours with --url or TWIN_URL.",
                ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new ApiUnreachableException($"no TwinCluster silo answered at {Settings.Url} in time (--timeout)", ex);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(ct);
        var (code, message, details) = ParseError(body, response);
        var status = (int)response.StatusCode;
        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized:
                var hint = Settings.Token is null
                    ? $"the CLI found no token (looked at --token, TWIN_TOKEN and {Settings.TokenSource}); give one with --token or TWIN_TOKEN"
                    : $"the token from {Settings.TokenSource} was refused; give a valid one with --token or TWIN_TOKEN";
                throw new ApiAccessException(status, $"not signed in at {Settings.Url}: {message} ({hint})", ExitCodes.Unauthorized);
            case HttpStatusCode.Forbidden:
                throw new ApiAccessException(status, $"forbidden: {message}", ExitCodes.Forbidden);
            case HttpStatusCode.TooManyRequests:
                var retry = response.Headers.RetryAfter?.Delta is { } delta ? $" (retry after {delta.TotalSeconds:0} s)" : "";
                throw new ApiAccessException(status, $"too many requests: {message}{retry}", ExitCodes.TooManyRequests);
            default:
                throw new ApiErrorException(status, code, message, details);
        }
    }

    /// <summary>The code, message and details of a refusal: ADT's envelope, RFC 9457 problem details, or the status.</summary>
    public static (string Code, string Message, ImmutableArray<string> Details) ParseError(string body, HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var fallback = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var adtCode = error.TryGetProperty("code", out var c) ? c.GetString() ?? "Error" : "Error";
                return (FromAdtCode(adtCode), error.TryGetProperty("message", out var m) ? m.GetString() ?? fallback : fallback, []);
            }

            if (root.ValueKind == JsonValueKind.Object)
            {
                var title = root.TryGetProperty("title", out var t) ? t.GetString() : null;
                var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
                var details = root.TryGetProperty("details", out var list) && list.ValueKind == JsonValueKind.Array
                    ? list.EnumerateArray().Select(e => e.ToString()).ToImmutableArray()
                    : [];
                return (title ?? response.StatusCode.ToString(), detail ?? title ?? fallback, details);
            }
        }
        catch (JsonException)
        {
        }

        return (response.StatusCode.ToString(), body.Length is > 0 and < 500 ? body : fallback, []);
    }

    /// <summary>ADT's codes as the CLI has always printed TwinCluster's (NotFound, PreconditionFailed, Conflict …).</summary>
    public static string FromAdtCode(string code) => code switch
    {
        "DigitalTwinNotFound" or "ModelNotFound" or "RelationshipNotFound" or "JobNotFound" => nameof(TwinErrorCode.NotFound),
        "ModelAlreadyExists" or "JobAlreadyExists" => nameof(TwinErrorCode.AlreadyExists),
        "ModelReferencesNotDeleted" or "ModelDecommissioned" or "RelationshipsNotDeleted" => nameof(TwinErrorCode.Conflict),
        "ValidationFailed" or "InvalidRelationship" or "BadRequest" or "InvalidArgument" or "DTDLParserError" => nameof(TwinErrorCode.Invalid),
        _ => code,
    };

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
        {
            return default!;
        }

        return (await response.Content.ReadFromJsonAsync<T>(Wire, ct))!;
    }

    private static StringContent Json<T>(T value) => new(JsonSerializer.Serialize(value, Wire), Encoding.UTF8, "application/json");

    private static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    private static string E(string value) => Uri.EscapeDataString(value);

    private static void Append(StringBuilder query, string name, string? value)
    {
        if (value is not null)
        {
            query.Append(query[^1] == '?' ? "" : "&").Append(name).Append('=').Append(E(value));
        }
    }

    private static string Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex.Message;
    }

    private sealed record TwinDeletedView(string Deleted, int RelationshipsRemoved);
}
