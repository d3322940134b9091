using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Scalar.AspNetCore;
using TwinCluster.Grains.Interfaces.Settings;
using TwinCluster.Silo.Api.Adt;
using TwinCluster.Silo.Api.Auth;
using TwinCluster.Silo.Api.Own;
using TwinCluster.Silo.Hosting;

namespace TwinCluster.Silo.Api;

/// <summary>
/// Hosts the HTTP API: plain HTTP keeps the health probes only, HTTPS serves the Azure Digital Twins data plane at
/// the root, TwinCluster's own resources under <c>/api/v1</c>, the OpenAPI document and its reference page.
/// </summary>
public static class ApiHostingExtensions
{
    /// <summary>The prefix of TwinCluster's own resources.</summary>
    public const string OwnPrefix = "/api/v1";

    /// <summary>Binds the HTTP and HTTPS ports and registers the API's services.</summary>
    public static WebApplicationBuilder AddTwinApi(this WebApplicationBuilder builder, TwinSiloOptions silo, bool loopbackOnly)
    {
        var options = builder.Configuration.ReadTwinOptions<ApiOptions>(ApiOptions.Section);

        if (silo.HttpsPort != 0 && silo.HttpsPort == silo.HttpPort)
        {
            throw new InvalidConfigurationException($"{TwinSiloOptions.Section}:HttpPort and {TwinSiloOptions.Section}:HttpsPort are both {silo.HttpPort}; they must differ");
        }

        if (options.Authentication == ApiAuthenticationMode.Off && !loopbackOnly)
        {
            throw new InvalidConfigurationException($"{ApiOptions.Section}:Authentication=Off is allowed only for the embedded default on loopback (it lets anyone act as admin); remove it");
        }

        var certificate = HttpsCertificate.Load(options);
        var address = loopbackOnly ? IPAddress.Loopback : IPAddress.Any;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, silo.HttpPort);
            kestrel.Listen(address, silo.HttpsPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate.Certificate);
            });
            // The import body is the largest; each endpoint reads no more than its own limit (ApiBody).
            kestrel.Limits.MaxRequestBodySize = Math.Max(options.MaxImportBytes, options.MaxBodyBytes);
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(certificate);
        builder.AddTwinAuthentication(options);
        builder.Services.AddHostedService<ApiStartupReport>();
        builder.Services.AddProblemDetails();
        builder.Services.AddApiRequestGuard();
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "TwinCluster API";
            document.Info.Description = "The Azure Digital Twins data plane (api-version 2023-10-31) at the root, TwinCluster's own resources under /api/v1.";
            return Task.CompletedTask;
        }));
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        builder.Services.AddSingleton<AdtTwinService>();
        builder.Services.AddSingleton<ImportJobs>();
        return builder;
    }

    /// <summary>Maps every API endpoint; requests over plain HTTP reach only /healthz, /readyz and the Prometheus /metrics.</summary>
    public static WebApplication MapTwinApi(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            // Probes and the scrape endpoint stay on the plain port that Kubernetes and Prometheus use (deploy/k8s/50-silo.yaml).
            if (context.Request.IsHttps || context.Request.Path.Equals("/healthz") || context.Request.Path.Equals("/readyz") || context.Request.Path.Equals("/metrics"))
            {
                await next(context);
                return;
            }

            var https = app.Services.GetRequiredService<SiloDescription>().Options.HttpsPort;
            await TypedResults.Problem($"plain HTTP serves only /healthz, /readyz and /metrics; the API is on HTTPS port {https}", statusCode: StatusCodes.Status404NotFound)
                .ExecuteAsync(context);
        });

        app.UseTwinAuthentication();
        app.UseApiRequestGuard();

        // The API's description is public: it holds no data, and tools read it before they have a token.
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/reference", o => o.WithTitle("TwinCluster API").WithOpenApiRoutePattern("/openapi/{documentName}.json")).AllowAnonymous();

        var adt = app.MapGroup("").AddEndpointFilter<AdtErrorFilter>().WithTags("Azure Digital Twins");
        adt.MapGroup("/models").MapAdtModelEndpoints().WithTags("Models");
        adt.MapGroup("/digitaltwins").MapAdtTwinEndpoints().WithTags("Digital twins");
        adt.MapGroup("/digitaltwins").MapAdtRelationshipEndpoints().WithTags("Relationships");
        adt.MapGroup("/digitaltwins").MapAdtComponentEndpoints().WithTags("Components");
        adt.MapGroup("/digitaltwins").MapAdtTelemetryEndpoints().WithTags("Telemetry");
        adt.MapGroup("/query").MapAdtQueryEndpoints().WithTags("Query");
        adt.MapGroup("/jobs/imports").MapAdtImportEndpoints().WithTags("Import jobs");
        var own = app.MapGroup(OwnPrefix).AddEndpointFilter<OwnErrorFilter>();
        own.MapGroup("/health").MapOwnHealthEndpoints().WithTags("Health");
        own.MapGroup("/alerts").MapOwnAlertEndpoints().WithTags("Alerts");
        own.MapGroup("/telemetry").MapOwnTelemetryEndpoints().WithTags("Telemetry status");
        own.MapGroup("/changes").MapOwnChangeEndpoints().WithTags("Live changes");
        own.MapGroup("/auth/tokens").MapOwnTokenEndpoints().WithTags("API tokens");
        own.MapGroup("/devices").MapOwnDeviceEndpoints().WithTags("Devices");
        own.MapGroup("/audit").MapOwnAuditEndpoints().WithTags("Audit");
        own.MapGroup("/twins").MapOwnTwinEndpoints().WithTags("Twins (CLI)");
        own.MapGroup("/query").MapOwnQueryEndpoints().WithTags("Twins (CLI)");
        own.MapGroup("/models").MapOwnModelEndpoints().WithTags("Models (CLI)");
        own.MapGroup("/history").MapOwnHistoryEndpoints().WithTags("History");
        own.MapGroup("/twins").MapOwnCommandEndpoints().WithTags("Commands and desired properties");
        return app;
    }
}
