using TwinCluster.Silo.Endpoints;
using TwinCluster.Silo.Hosting;

// Settings ship beside the binary, so they apply whatever directory the silo is started from.
// --demo: load the example farm and publish simulated telemetry to the embedded broker (see README).
var demo = args.Contains("--demo", StringComparer.Ordinal);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args.Where(a => a != "--demo").ToArray(),
    ContentRootPath = AppContext.BaseDirectory,
});
builder.AddTwinSilo();
if (demo)
{
    builder.Services.AddHostedService<DemoService>();
}

var app = builder.Build();
app.MapTwinSiloEndpoints();
app.Run();
