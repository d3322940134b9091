using TwinCluster.Analytics;
using TwinCluster.Grains.Condition;

namespace TwinCluster.Grains.Tests.Condition;

/// <summary>
/// The condition page's view of a monitored component: spectra of the latest window (reduced when the view is asked
/// for), the waveform, the waterfall of envelope spectra and the trends, from a monitor fed simulated outer-race vibration.
/// </summary>
public sealed class ConditionViewTests
{
    [Fact]
    public void The_view_shows_the_latest_window_its_defect_lines_and_a_bounded_waterfall()
    {
        var monitor = new ComponentMonitor(ComponentKind.Generator, ConditionFeed.Properties());
        Assert.Null(monitor.View("wt-1-gen"));

        var feed = new ConditionFeed(severity: 0.4);
        feed.Capture(monitor, 0, 20);
        var view = Assert.IsType<TwinCluster.Grains.Interfaces.ConditionView>(monitor.View("wt-1-gen"));

        Assert.Equal("wt-1-gen", view.TwinId);
        Assert.Equal(monitor.WindowsAnalysed, view.WindowsAnalysed);
        Assert.Equal(feed.SampleRateHz, view.SampleRateHz);
        Assert.Equal("OuterRace", view.Fault);

        // Spectra: at most SpectrumPoints each, spanning up to Nyquist, the envelope from its demodulation band.
        Assert.InRange(view.Spectrum.Values.Length, ConditionTrace.SpectrumPoints / 2, ConditionTrace.SpectrumPoints);
        Assert.InRange(view.Spectrum.StepHz * view.Spectrum.Values.Length, 0.45 * feed.SampleRateHz, 0.5 * feed.SampleRateHz + view.Spectrum.StepHz);
        Assert.InRange(view.Envelope.Values.Length, 1, ConditionTrace.SpectrumPoints);
        Assert.True(view.EnvelopeBandHighHz > view.EnvelopeBandLowHz && view.EnvelopeBandLowHz > 0, $"band {view.EnvelopeBandLowHz}-{view.EnvelopeBandHighHz} Hz");

        // The envelope spectrum peaks at a BPFO line, and the matched lines of the evidence name it.
        var bpfo = view.Defects!.Bpfo;
        var peak = 0;
        for (var i = 1; i < view.Envelope.Values.Length; i++)
        {
            if (view.Envelope.StepHz * i > 3 && view.Envelope.Values[i] > view.Envelope.Values[peak])
            {
                peak = i;
            }
        }

        var peakHz = peak * view.Envelope.StepHz;
        var harmonic = Math.Round(peakHz / bpfo);
        Assert.True(harmonic >= 1 && Math.Abs(peakHz - harmonic * bpfo) <= 0.04 * harmonic * bpfo + 2 * view.Envelope.StepHz,
            $"envelope peak at {peakHz:0.0} Hz, BPFO {bpfo:0.0} Hz");
        Assert.Contains(view.Lines, l => l.Label.StartsWith("BPFO", StringComparison.Ordinal));

        // Waveform: the channel's newest samples; trends one point per window; the waterfall keeps its last rows,
        // each at most WaterfallPoints long, at one step.
        Assert.Equal(ConditionTrace.WaveformSamples, view.Waveform.Length);
        Assert.Equal((int)Math.Min(monitor.WindowsAnalysed, ConditionTrace.TrendPoints), view.Trend.Length);
        Assert.Equal(ConditionTrace.WaterfallRows, view.Waterfall.Length);
        Assert.All(view.Waterfall, row => Assert.InRange(row.Values.Length, 1, ConditionTrace.WaterfallPoints));
        Assert.True(view.Waterfall.Zip(view.Waterfall.Skip(1)).All(p => p.First.At < p.Second.At), "waterfall rows in time order");
        Assert.True(view.WaterfallStepHz >= view.Envelope.StepHz, $"waterfall step {view.WaterfallStepHz} Hz, envelope step {view.Envelope.StepHz} Hz");

        // A newer window moves the view on.
        feed.Capture(monitor, 20, 2);
        var next = monitor.View("wt-1-gen")!;
        Assert.True(next.AnalysedAt > view.AnalysedAt && next.WindowsAnalysed > view.WindowsAnalysed);
        Assert.Contains(next.Waterfall, row => row.At == view.Waterfall[^1].At);
        Assert.True(next.Waterfall[^1].At == next.AnalysedAt && next.Waterfall[^1].At > view.Waterfall[^1].At);
    }
}
