using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using TwinCluster.Cli.Http;
using TwinCluster.Client;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Cli;

/// <summary>What a command needs: its parsed options, output in the chosen form, and a cluster connection on demand.</summary>
public sealed class CliContext(ParseResult parse)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public ParseResult Parse { get; } = parse;

    public bool Json => Parse.GetValue(GlobalOptions.Json);

    public T Value<T>(Option<T> option) => Parse.GetValue(option)!;

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    /// <summary>Runs a command body, turning failures into a message and an exit code.</summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Handler(Func<CliContext, CancellationToken, Task<int>> body) =>
        async (parse, ct) =>
        {
            try
            {
                return await body(new CliContext(parse), ct);
            }
            catch (TwinOperationException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Code}: {ex.Message}");
                foreach (var detail in ex.Details)
                {
                    await Console.Error.WriteLineAsync($"  - {detail}");
                }

                return ExitCodes.Failed;
            }
            catch (ApiErrorException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Code}: {ex.Message}");
                foreach (var detail in ex.Details.IsDefault ? [] : ex.Details)
                {
                    await Console.Error.WriteLineAsync($"  - {detail}");
                }

                return ExitCodes.Failed;
            }
            catch (ApiAccessException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return ex.ExitCode;
            }
            catch (ApiUnreachableException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return ExitCodes.Failed;
            }
            catch (TwinConnectionException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return ExitCodes.Failed;
            }
            catch (Exception ex) when (ex is UsageException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return ExitCodes.Usage;
            }
            catch (Exception ex) when (ex is IOException or FormatException or System.Data.Common.DbException or InvalidOperationException or TimeoutException or OrleansException)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return ExitCodes.Failed;
            }
        };

    /// <summary>True when --gateway or --connection was given on the command line: the user asked for the Orleans gateway.</summary>
    public bool GatewayRequested =>
        Parse.GetResult(GlobalOptions.Gateway) is { Implicit: false } || Parse.GetResult(GlobalOptions.Connection) is { Implicit: false };

    /// <summary>How the HTTP connection is set: options, environment, then the embedded default's files.</summary>
    public ApiSettings ApiSettings() => Http.ApiSettings.Resolve(
        Parse.GetValue(GlobalOptions.Url), Parse.GetValue(GlobalOptions.Token), Parse.GetValue(GlobalOptions.CaCert),
        Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>
    /// The HTTP API, as people and scripts reach the cluster (a token, audited by principal). A command that works this
    /// way refuses --gateway: the gateway is the trusted in-cluster door, kept for what cannot go over HTTP.
    /// </summary>
    public TwinApi Api()
    {
        if (GatewayRequested)
        {
            throw new UsageException(
                $"'{Parse.CommandResult.Command.Name}' works through the HTTP API (--url, TWIN_URL, --token, TWIN_TOKEN); --gateway and --connection are only for " +
                "bench, simulate, db, and 'auth token' (making the first admin token in PostgreSQL mode)");
        }

        return new TwinApi(ApiSettings(), TimeSpan.FromSeconds(Parse.GetValue(GlobalOptions.Timeout)));
    }

    /// <summary>The Orleans gateway: whoever reaches it acts as admin, so only what cannot work over HTTP uses it.</summary>
    public async Task<TwinClusterConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var options = new TwinClientOptions
        {
            ConnectionString = Parse.GetValue(GlobalOptions.Connection) ?? Environment.GetEnvironmentVariable("ConnectionStrings__TwinCluster"),
            ClusterId = Parse.GetValue(GlobalOptions.ClusterId)!,
            ConnectTimeout = TimeSpan.FromSeconds(Parse.GetValue(GlobalOptions.Timeout)),
            OtlpEndpoint = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"),
        };
        var gateways = Parse.GetValue(GlobalOptions.Gateway) is { Length: > 0 } given
            ? given
            : Environment.GetEnvironmentVariable("TWIN_GATEWAYS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (gateways is { Length: > 0 })
        {
            options.Gateways.Clear();
            foreach (var gateway in gateways)
            {
                options.Gateways.Add(gateway);
            }
        }

        return await TwinClusterConnection.ConnectAsync(options, cancellationToken);
    }

    /// <summary>A twin id given on the command line, checked before it goes into a URL (a bad one is a usage error).</summary>
    public static string TwinIdArgument(string id) =>
        TwinCluster.Wire.TwinId.Check(id) is { } problem ? throw new UsageException($"twin id '{id}': {problem}") : id;

    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>One value as JSON on one line (for streams of objects, one per line).</summary>
    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, JsonOptions);

    /// <summary>JSON given inline, or read from a file when it starts with '@'.</summary>
    public static string JsonArgument(string value, string what)
    {
        var text = value.StartsWith('@') ? File.ReadAllText(value[1..]) : value;
        try
        {
            using var _ = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new UsageException($"{what} is not valid JSON: {ex.Message}");
        }

        return text;
    }
}
