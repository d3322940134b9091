using TwinCluster.Silo.Endpoints;
using TwinCluster.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddTwinSilo();
var app = builder.Build();
app.MapTwinSiloEndpoints();
app.Run();
