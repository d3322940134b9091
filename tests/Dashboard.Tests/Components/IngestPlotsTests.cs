using System.Text.Json;
using Plotly.Blazor.Traces;
using TwinCluster.Dashboard.Services;

namespace TwinCluster.Dashboard.Tests.Components;

public sealed class IngestPlotsTests
{
    [Fact]
    public void A_second_without_log_appends_is_a_gap_that_serialises_not_a_NaN()
    {
        var at = new DateTime(2026, 12, 1, 22, 0, 0, DateTimeKind.Utc);
        IngestSecond[] series =
        [
            new(at, 10, 10, 10, new Dictionary<string, long>(), 0.4, 1.2),
            new(at.AddSeconds(1), 0, 0, 0, new Dictionary<string, long>(), null, null),
        ];

        var (_, latency, _) = IngestPlots.Build(series);

        var p50 = (Scatter)latency.Item1[0];
        Assert.Equal(2, p50.Y.Count);
        Assert.Null(p50.Y[1]);
        // The figure goes to the browser as JSON: a NaN there throws, and the chart stays empty.
        Assert.Equal("[0.4,null]", JsonSerializer.Serialize(p50.Y));
    }
}
