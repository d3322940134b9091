using Microsoft.Extensions.Options;
using TwinCluster.Silo.Api;
using TwinCluster.Silo.Endpoints;
using TwinCluster.Silo.Hosting;

// Settings ship beside the binary, so they apply whatever directory the silo is started from.
// --demo: load the example farm and publish simulated telemetry to the embedded broker (see README).
var demo = args.Contains("--demo", StringComparer.Ordinal);
try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args.Where(a => a != "--demo").ToArray(),
        ContentRootPath = AppContext.BaseDirectory,
    });
    if (demo && builder.Configuration["TwinCluster:Condition:HistoryInterval"] is null)
    {
        // A health point every 20 s instead of every hour, so the demo's bearing shows its remaining life within minutes.
        builder.Configuration["TwinCluster:Condition:HistoryInterval"] = "00:00:20";
    }

    builder.AddTwinSilo();
    builder.AddTwinDashboard();
    if (demo)
    {
        builder.Services.AddHostedService<DemoService>();
    }

    var app = builder.Build();
    app.MapTwinSiloEndpoints();
    app.MapTwinApi();
    app.MapTwinDashboard();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is InvalidConfigurationException or OptionsValidationException
    || (ex is AggregateException all && all.InnerExceptions.All(e => e is OptionsValidationException)))
{
    // A wrong setting: say which, once each, without a stack trace.
    var messages = ex is AggregateException aggregate
        ? aggregate.InnerExceptions.SelectMany(e => ((OptionsValidationException)e).Failures)
        : ex is OptionsValidationException invalid ? invalid.Failures : [ex.Message];
    foreach (var message in messages)
    {
        await Console.Error.WriteLineAsync($"error: invalid setting: {message}");
    }

    return 2;
}
