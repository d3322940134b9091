using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;

namespace TwinCluster.Dashboard.Services;

/// <summary>Plotly figures of the ingest series.</summary>
public static class IngestPlots
{
    private static Layout Base(string title, string yTitle) => new()
    {
        Title = new Title { Text = title, Font = new Plotly.Blazor.LayoutLib.TitleLib.Font { Size = 14 } },
        Height = 280,
        Margin = new Margin { L = 60, R = 20, T = 40, B = 70 },
        YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = yTitle }, RangeMode = Plotly.Blazor.LayoutLib.YAxisLib.RangeModeEnum.ToZero }],
        // Below the plot: above it, three entries run into the title on a half-width chart.
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.22m, X = 0.5m, XAnchor = Plotly.Blazor.LayoutLib.LegendLib.XAnchorEnum.Center, YAnchor = Plotly.Blazor.LayoutLib.LegendLib.YAnchorEnum.Top }],
    };

    // A missing value is null (a gap in the line): NaN is not JSON, and a figure holding one is never drawn.
    private static Scatter Line(string name, IEnumerable<DateTime> x, IEnumerable<object?> y, string colour, string? stack = null) => new()
    {
        Name = name, X = [.. x.Cast<object>()], Y = [.. y.Cast<object>()], Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines,
        Line = new Plotly.Blazor.Traces.ScatterLib.Line { Color = colour, Width = 1.5m }, StackGroup = stack,
    };

    public static ((IList<ITrace>, Layout) Rate, (IList<ITrace>, Layout) Latency, (IList<ITrace>, Layout) Dead) Build(IReadOnlyList<IngestSecond> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var x = series.Select(s => s.At).ToList();
        IList<ITrace> rate =
        [
            Line("received", x, series.Select(s => (object)s.Received), "#1565c0"),
            Line("accepted", x, series.Select(s => (object)s.Accepted), "#2e7d32"),
            Line("applied by twins", x, series.Select(s => (object)s.Applied), "#6a1b9a"),
        ];
        IList<ITrace> latency =
        [
            Line("append p50", x, series.Select(s => (object?)s.AppendP50Ms), "#00838f"),
            Line("append max", x, series.Select(s => (object?)s.AppendMaxMs), "#ef6c00"),
        ];
        var reasons = series.SelectMany(s => s.DeadLetters.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        string[] colours = ["#c62828", "#ad1457", "#6a1b9a", "#4527a0", "#ef6c00", "#5d4037", "#455a64"];
        IList<ITrace> dead = reasons.Count == 0
            ? [Line("none", x, series.Select(_ => (object)0), "#9e9e9e")]
            : [.. reasons.Select((r, i) => (ITrace)Line(r, x, series.Select(s => (object)s.DeadLetters.GetValueOrDefault(r)), colours[i % colours.Length], "dead"))];
        return ((rate, Base("Messages per second", "msg/s")), (latency, Base("Telemetry log append latency per batch", "ms")), (dead, Base("Dead letters per second by reason", "msg/s")));
    }
}
