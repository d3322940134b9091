using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Dashboard.Services;

/// <summary>A vertical marker on a spectrum: a defect frequency or one of its harmonics.</summary>
public sealed record SpectrumMarker(string Family, int Harmonic, double Hz)
{
    /// <summary>"BPFO x2": the label the analyzer uses for the same line.</summary>
    public string Label => $"{Family} x{Harmonic}";
}

/// <summary>The condition page's plot arithmetic, apart from the page (tested on its own).</summary>
public static class ConditionCharts
{
    /// <summary>The defect families in display order with their colours.</summary>
    public static readonly IReadOnlyList<(string Family, string Colour)> Families =
        [("BPFO", "#d32f2f"), ("BPFI", "#7b1fa2"), ("BSF", "#1976d2"), ("FTF", "#388e3c")];

    /// <summary>Markers for each defect frequency and its harmonics up to <paramref name="harmonics"/>, below <paramref name="maxHz"/>.</summary>
    public static IReadOnlyList<SpectrumMarker> Markers(DefectFrequencies? defects, int harmonics, double maxHz)
    {
        if (defects is null || harmonics < 1 || !(maxHz > 0))
        {
            return [];
        }

        var list = new List<SpectrumMarker>();
        foreach (var (family, _) in Families)
        {
            var f = family switch { "BPFO" => defects.Bpfo, "BPFI" => defects.Bpfi, "BSF" => defects.Bsf, _ => defects.Ftf };
            for (var h = 1; h <= harmonics; h++)
            {
                if (f * h <= maxHz && f > 0)
                {
                    list.Add(new SpectrumMarker(family, h, f * h));
                }
            }
        }

        return list;
    }

    /// <summary>The family of a matched line's label ("BPFO x2 - 1x" → "BPFO"), or null for shaft lines.</summary>
    public static string? FamilyOf(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        foreach (var (family, _) in Families)
        {
            if (label.StartsWith(family, StringComparison.Ordinal) || label.StartsWith("2x" + family, StringComparison.Ordinal))
            {
                return family;
            }
        }

        return null;
    }

    /// <summary>Frequencies of a reduced spectrum's points.</summary>
    public static double[] Frequencies(SpectrumTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var x = new double[trace.Values.Length];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = i * trace.StepHz;
        }

        return x;
    }

    /// <summary>Values in dB over their median (the floor), so lines read as prominence; zeros become the floor.</summary>
    public static double[] DecibelsOverMedian(IReadOnlyList<float> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return [];
        }

        var sorted = values.Where(v => v > 0).Order().ToArray();
        var median = sorted.Length == 0 ? 1 : sorted[sorted.Length / 2];
        return [.. values.Select(v => v > 0 ? 20 * Math.Log10(v / median) : 0)];
    }

    /// <summary>The value of the point nearest to <paramref name="hz"/>.</summary>
    public static double At(double[] y, double stepHz, double hz)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (y.Length == 0 || !(stepHz > 0))
        {
            return 0;
        }

        var i = (int)Math.Clamp(Math.Round(hz / stepHz), 0, y.Length - 1);
        return y[i];
    }

    /// <summary>"19 days ±6", "3.5 hours ±1.2", for a remaining life.</summary>
    public static string Describe(RemainingLifeView? rul)
    {
        if (rul is null)
        {
            return "no trend yet";
        }

        if (rul.Seconds <= 0)
        {
            return "0 (the trend has reached the alarm level)";
        }

        var (unit, scale) = rul.Seconds switch
        {
            >= 2 * 86400 => ("days", 86400.0),
            >= 2 * 3600 => ("hours", 3600.0),
            >= 120 => ("minutes", 60.0),
            _ => ("s", 1.0),
        };
        var half = Math.Max(0, rul.UpperSeconds - rul.LowerSeconds) / 2;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{rul.Seconds / scale:0.#} {unit} ±{half / scale:0.#}");
    }

    /// <summary>The MudBlazor colour name for a status.</summary>
    public static string Css(HealthStatus status) => status switch
    {
        HealthStatus.Alarm => "status-alarm",
        HealthStatus.Warning => "status-warning",
        HealthStatus.Normal => "status-normal",
        _ => "status-unknown",
    };
}
