using TwinCluster.Silo.Endpoints;
using TwinCluster.Silo.Hosting;

// Settings ship beside the binary, so they apply whatever directory the silo is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddTwinSilo();
var app = builder.Build();
app.MapTwinSiloEndpoints();
app.Run();
