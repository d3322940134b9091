using System.Collections.Immutable;
using TwinCluster.Analytics;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Condition;

/// <summary>
/// What a monitor keeps for display besides its condition: the latest window's spectra, waveform and matched lines, a
/// bounded trend of indicators per window and a waterfall of recent envelope spectra. Memory is bounded
/// (about 60 KB per component at the defaults) and nothing here is persisted.
/// </summary>
public sealed class ConditionTrace
{
    /// <summary>Points a spectrum is reduced to.</summary>
    public const int SpectrumPoints = 2048;

    /// <summary>Samples of waveform kept from the end of the window.</summary>
    public const int WaveformSamples = 2048;

    /// <summary>Rows of the waterfall.</summary>
    public const int WaterfallRows = 24;

    /// <summary>Points of a waterfall row.</summary>
    public const int WaterfallPoints = 256;

    /// <summary>Trend points kept (one per analysed window).</summary>
    public const int TrendPoints = 600;

    private readonly Queue<ConditionTrendPoint> _trend = new();
    private readonly Queue<WaterfallRow> _waterfall = new();
    private double _waterfallStepHz;
    private Latest? _latest;

    // What the view needs of the latest window. Its spectra are reduced only when a view is asked for (a condition
    // page is open), from the channel's analyzer, which holds them until it analyses the next window, and the waveform
    // is the channel's newest samples then. Reducing and copying both for every window of every component, for a view
    // that is rarely open, was a large share of the silo's allocations under the condition bench.
    private sealed record Latest(VibrationChannel Channel, DateTime At, double SampleRateHz, AnalysisResult Result);

    /// <summary>Records the window just analysed on <paramref name="channel"/> and the component's smoothed health after it.</summary>
    internal void Record(VibrationChannel channel, AnalysisResult result, DateTime at, double health)
    {
        _trend.Enqueue(new ConditionTrendPoint(at, result.Indicators.RmsVelocity, result.Indicators.Kurtosis, Math.Round(health, 4)));
        while (_trend.Count > TrendPoints)
        {
            _trend.Dequeue();
        }

        _latest = new Latest(channel, at, channel.SampleRateHz, result);
        if (channel.Analyzer?.LatestEnvelope(WaterfallPoints) is { Values.Length: > 0 } envelope)
        {
            // Every row of the waterfall has the step of the first; a channel whose step changes starts it again.
            if (Math.Abs(envelope.StepHz - _waterfallStepHz) > 1e-9)
            {
                _waterfall.Clear();
                _waterfallStepHz = envelope.StepHz;
            }

            _waterfall.Enqueue(new WaterfallRow(at, envelope.Values));
            while (_waterfall.Count > WaterfallRows)
            {
                _waterfall.Dequeue();
            }
        }
    }

    /// <summary>The view of <paramref name="twinId"/>, or null before the first window.</summary>
    public ConditionView? View(string twinId, ComponentCondition? condition, ConditionOptions options, SeverityZones zones, int harmonics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(zones);
        if (_latest is not { } latest || condition is null)
        {
            return null;
        }

        var result = latest.Result;
        var ff = result.FaultFrequencies;
        var spectra = latest.Channel.Analyzer?.LatestSpectra(SpectrumPoints);
        var lines = result.Diagnosis.Evidence.IsDefault
            ? []
            : result.Diagnosis.Evidence.Select(e => new MatchedLine(e.Label, e.ExpectedHz, e.FoundHz, e.ProminenceDb, e.Spectrum)).ToImmutableArray();
        return new ConditionView(
            twinId, latest.Channel.Name, latest.At, condition.WindowsAnalysed, result.ShaftHz, latest.SampleRateHz,
            condition.HealthIndex, options.WarningHealth, options.AlarmHealth,
            condition.Alert switch { AlertState.Alarm => HealthStatus.Alarm, AlertState.Warning => HealthStatus.Warning, _ => HealthStatus.Normal },
            condition.Fault.ToString(), condition.Confidence, condition.Describe(), condition.Zone.ToString(), condition.VelocityRmsMmPerS,
            result.Indicators.Kurtosis, result.Indicators.EnvelopeKurtosis,
            new ZoneLimits(zones.BoundaryAB, zones.BoundaryBC, zones.BoundaryCD),
            ff is null ? null : new DefectFrequencies(ff.Bpfo, ff.Bpfi, ff.Bsf, ff.Ftf), harmonics,
            new SpectrumTrace(spectra?.SpectrumStepHz ?? 0, spectra?.Spectrum ?? []),
            new SpectrumTrace(spectra?.EnvelopeStepHz ?? 0, spectra?.Envelope ?? []),
            spectra?.EnvelopeBand.LowHz ?? 0, spectra?.EnvelopeBand.HighHz ?? 0,
            latest.Channel.Latest(WaveformSamples), lines, [.. _trend], [.. _waterfall], _waterfallStepHz,
            condition.Rul is { } rul ? new RemainingLifeView(rul.Seconds, rul.LowerSeconds, rul.UpperSeconds, rul.AsOfUtc) : null);
    }
}
