using System.Collections.Immutable;
using System.Globalization;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Dashboard.Services;

/// <summary>Plotly figures of a <see cref="ConditionView"/>.</summary>
public static class ConditionPlots
{
    public static Config Config() => new() { DisplayLogo = false, Responsive = true, DisplayModeBar = Plotly.Blazor.ConfigLib.DisplayModeBarEnum.False };

    private static Layout Base(string title, string xTitle, string yTitle, int height = 300) => new()
    {
        Title = new Title { Text = title, Font = new Plotly.Blazor.LayoutLib.TitleLib.Font { Size = 14 } },
        Height = height,
        Margin = new Margin { L = 60, R = 20, T = 40, B = 45 },
        XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = xTitle } }],
        YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = yTitle } }],
        ShowLegend = true,
        Legend = [new Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = 1m, X = 1m, XAnchor = Plotly.Blazor.LayoutLib.LegendLib.XAnchorEnum.Right, YAnchor = Plotly.Blazor.LayoutLib.LegendLib.YAnchorEnum.Bottom }],
    };

    private static List<object> Objects<T>(IEnumerable<T> values) => [.. values.Cast<object>()];

    /// <summary>The envelope spectrum in dB over its floor, the defect markers with their labels, and the matched lines.</summary>
    public static (IList<ITrace> Data, Layout Layout) Envelope(ConditionView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var x = ConditionCharts.Frequencies(view.Envelope);
        var y = ConditionCharts.DecibelsOverMedian(view.Envelope.Values);
        var maxHz = x.Length > 0 ? x[^1] : 0;
        var layout = Base(
            string.Create(CultureInfo.InvariantCulture, $"Envelope spectrum (band {view.EnvelopeBandLowHz:0}–{view.EnvelopeBandHighHz:0} Hz)"),
            "Hz", "dB over floor", 340);
        layout.Shapes = [];
        layout.Annotations = [];
        foreach (var m in ConditionCharts.Markers(view.Defects, view.Harmonics, maxHz))
        {
            var colour = ConditionCharts.Families.First(f => f.Family == m.Family).Colour;
            layout.Shapes.Add(new Shape
            {
                Type = Plotly.Blazor.LayoutLib.ShapeLib.TypeEnum.Line,
                X0 = m.Hz, X1 = m.Hz, Y0 = 0, Y1 = 1, XRef = "x", YRef = "paper",
                Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Color = colour, Width = 1, Dash = "dot" },
            });
            layout.Annotations.Add(new Annotation
            {
                Text = m.Label, X = m.Hz, Y = 1.0, XRef = "x", YRef = "paper", ShowArrow = false, TextAngle = -90m,
                XAnchor = Plotly.Blazor.LayoutLib.AnnotationLib.XAnchorEnum.Right, YAnchor = Plotly.Blazor.LayoutLib.AnnotationLib.YAnchorEnum.Top,
                Font = new Plotly.Blazor.LayoutLib.AnnotationLib.Font { Size = 9, Color = colour },
            });
        }

        var matched = view.Lines.Where(l => l.Spectrum == "envelope").ToList();
        IList<ITrace> data =
        [
            new Scatter
            {
                Name = "envelope", X = Objects(x), Y = Objects(y), Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines,
                Line = new Plotly.Blazor.Traces.ScatterLib.Line { Color = "#455a64", Width = 1 },
            },
            new Scatter
            {
                Name = "matched lines", X = Objects(matched.Select(l => l.FoundHz)),
                Y = Objects(matched.Select(l => ConditionCharts.At(y, view.Envelope.StepHz, l.FoundHz))),
                TextArray = [.. matched.Select(l => l.Label + string.Create(CultureInfo.InvariantCulture, $" +{l.ProminenceDb:0} dB"))],
                Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers,
                Marker = new Plotly.Blazor.Traces.ScatterLib.Marker { Color = "#d50000", Size = 11, Symbol = Plotly.Blazor.Traces.ScatterLib.MarkerLib.SymbolEnum.CircleOpen, Line = new Plotly.Blazor.Traces.ScatterLib.MarkerLib.Line { Width = 2, Color = "#d50000" } },
            },
        ];
        return (data, layout);
    }

    /// <summary>The acceleration spectrum with the shaft harmonics marked.</summary>
    public static (IList<ITrace> Data, Layout Layout) Spectrum(ConditionView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var layout = Base("Acceleration spectrum", "Hz", "g RMS", 300);
        layout.ShowLegend = false;
        layout.YAxis[0].Type = Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Log;
        // Labels at 1, 2 and 5 of each decade: Plotly's default on a narrow log range writes every digit over the next.
        layout.YAxis[0].DTick = "D2";
        layout.Shapes = [];
        for (var h = 1; h <= 3 && view.ShaftHz > 0; h++)
        {
            layout.Shapes.Add(new Shape
            {
                Type = Plotly.Blazor.LayoutLib.ShapeLib.TypeEnum.Line, X0 = h * view.ShaftHz, X1 = h * view.ShaftHz, Y0 = 0, Y1 = 1,
                XRef = "x", YRef = "paper", Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Color = "#9e9e9e", Width = 1, Dash = "dash" },
            });
        }

        IList<ITrace> data =
        [
            new Scatter
            {
                Name = "spectrum", X = Objects(ConditionCharts.Frequencies(view.Spectrum)), Y = Objects(view.Spectrum.Values.Select(v => (double)Math.Max(v, 1e-9f))),
                Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines, Line = new Plotly.Blazor.Traces.ScatterLib.Line { Color = "#1565c0", Width = 1 },
            },
        ];
        return (data, layout);
    }

    /// <summary>The latest samples of the window.</summary>
    public static (IList<ITrace> Data, Layout Layout) Waveform(ConditionView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var dt = view.SampleRateHz > 0 ? 1000 / view.SampleRateHz : 1;
        IList<ITrace> data =
        [
            new Scatter
            {
                Name = "acceleration", X = Objects(Enumerable.Range(0, view.Waveform.Length).Select(i => i * dt)), Y = Objects(view.Waveform.Select(v => (double)v)),
                Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines, Line = new Plotly.Blazor.Traces.ScatterLib.Line { Color = "#37474f", Width = 1 },
            },
        ];
        var layout = Base("Time waveform (end of the latest window)", "ms", "g", 260);
        layout.ShowLegend = false;
        return (data, layout);
    }

    /// <summary>Velocity RMS (history, then per window) against the zone bands A–D.</summary>
    public static (IList<ITrace> Data, Layout Layout) Velocity(ConditionView view, ConditionTrendSet trends)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(trends);
        var layout = Base("Velocity RMS vs ISO 10816-21 zones", "", "mm/s", 280);
        layout.ShowLegend = false;
        var z = view.Zones;
        var top = Math.Max(z.CD * 1.5, trends.VelocityRms.IsEmpty ? 0 : trends.VelocityRms.Max(p => p.Value) * 1.1);
        layout.YAxis[0].Range = [0, top];
        layout.Shapes = [];
        layout.Annotations = [];
        foreach (var (lo, hi, colour, name) in new[] { (0.0, z.AB, "#c8e6c9", "A"), (z.AB, z.BC, "#f0f4c3", "B"), (z.BC, z.CD, "#ffe0b2", "C"), (z.CD, top, "#ffcdd2", "D") })
        {
            layout.Shapes.Add(new Shape
            {
                Type = Plotly.Blazor.LayoutLib.ShapeLib.TypeEnum.Rect, X0 = 0, X1 = 1, XRef = "paper", YRef = "y", Y0 = lo, Y1 = hi,
                FillColor = colour, Opacity = 0.6m, Layer = Plotly.Blazor.LayoutLib.ShapeLib.LayerEnum.Below,
                Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Width = 0 },
            });
            layout.Annotations.Add(new Annotation { Text = "zone " + name, X = 1, XRef = "paper", Y = (lo + hi) / 2, YRef = "y", ShowArrow = false, XAnchor = Plotly.Blazor.LayoutLib.AnnotationLib.XAnchorEnum.Right });
        }

        IList<ITrace> data =
        [
            TrendLine(trends.VelocityRms, "velocity RMS", "#0d47a1"),
        ];
        return (data, layout);
    }

    /// <summary>A trend (history bucket means, then one value per window) as a solid line.</summary>
    private static Scatter TrendLine(ImmutableArray<TrendPoint> points, string name, string colour) => new()
    {
        Name = name, X = Objects(points.Select(p => p.At)), Y = Objects(points.Select(p => p.Value)),
        Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines, Line = new Plotly.Blazor.Traces.ScatterLib.Line { Color = colour, Width = 2 },
    };

    /// <summary>Kurtosis (history, then per window; 3 for Gaussian noise).</summary>
    public static (IList<ITrace> Data, Layout Layout) Kurtosis(ConditionTrendSet trends)
    {
        ArgumentNullException.ThrowIfNull(trends);
        var layout = Base("Kurtosis", "", "", 240);
        layout.ShowLegend = false;
        IList<ITrace> data =
        [
            TrendLine(trends.Kurtosis, "kurtosis", "#6a1b9a"),
        ];
        return (data, layout);
    }

    /// <summary>Health index (history, then per window) with the warning and alarm levels.</summary>
    public static (IList<ITrace> Data, Layout Layout) Health(ConditionView view, ConditionTrendSet trends)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(trends);
        var layout = Base("Health index", "", "", 260);
        layout.YAxis[0].Range = [0, 1.05];
        layout.Shapes = [];
        foreach (var (level, colour) in new[] { (view.WarningHealth, "#ef6c00"), (view.AlarmHealth, "#c62828") })
        {
            layout.Shapes.Add(new Shape
            {
                Type = Plotly.Blazor.LayoutLib.ShapeLib.TypeEnum.Line, X0 = 0, X1 = 1, XRef = "paper", YRef = "y", Y0 = level, Y1 = level,
                Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Color = colour, Width = 2, Dash = "dash" },
            });
        }

        IList<ITrace> data =
        [
            TrendLine(trends.Health, "health", "#2e7d32"),
            new Scatter { Name = "warning", X = Objects(Array.Empty<object>()), Y = Objects(Array.Empty<object>()), Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines, Line = new Plotly.Blazor.Traces.ScatterLib.Line { Color = "#ef6c00", Dash = "dash" } },
            new Scatter { Name = "alarm", X = Objects(Array.Empty<object>()), Y = Objects(Array.Empty<object>()), Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines, Line = new Plotly.Blazor.Traces.ScatterLib.Line { Color = "#c62828", Dash = "dash" } },
        ];
        return (data, layout);
    }

    /// <summary>Recent envelope spectra as a heat map: time up, frequency across, dB over each row's floor.</summary>
    public static (IList<ITrace> Data, Layout Layout) Waterfall(ConditionView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var layout = Base("Waterfall of envelope spectra", "Hz", "", 320);
        layout.ShowLegend = false;
        layout.Margin = new Margin { L = 110, R = 20, T = 40, B = 45 };
        var width = view.Waterfall.IsEmpty ? 0 : view.Waterfall.Max(r => r.Values.Length);
        var z = view.Waterfall.Select(r => (object)ConditionCharts.DecibelsOverMedian(r.Values).Select(v => (object)Math.Max(0, v)).ToList()).ToList();
        IList<ITrace> data =
        [
            new HeatMap
            {
                Z = z, X = Objects(Enumerable.Range(0, width).Select(i => i * view.WaterfallStepHz)),
                Y = Objects(view.Waterfall.Select(r => r.At)), ColorScale = "Viridis",
            },
        ];
        return (data, layout);
    }
}
