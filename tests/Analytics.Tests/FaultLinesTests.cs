using TwinCluster.Analytics.Internal;

namespace TwinCluster.Analytics.Tests;

/// <summary>
/// The line-scoring rules on envelope spectra the tests build themselves: a flat floor with lines placed where a rule
/// should find (or refuse) them.
/// </summary>
public sealed class FaultLinesTests
{
    private static readonly FaultFrequencies Orders = new BearingGeometry(9, 0.3126, 1.537, 0).FaultOrders();
    private const double Shaft = 30;
    private const double Df = 0.5;
    private const double Tol = 0.03;

    // A floor of 1 with a deterministic ripple (the median floor must see some spread), and lines of the given
    // amplitude at the given frequencies.
    private static double[] Spectrum(params (double Hz, double Amplitude)[] lines)
    {
        var ses = new double[4096];
        for (var k = 0; k < ses.Length; k++)
        {
            ses[k] = 1 + 0.1 * Math.Sin(0.7 * k);
        }

        foreach (var (hz, amplitude) in lines)
        {
            ses[(int)Math.Round(hz / Df)] = amplitude;
        }

        return ses;
    }

    private static double Score(FaultKind kind, double[] ses, double measuredSpeed, double penalty, List<FaultEvidence>? evidence = null) =>
        FaultLines.Score(Orders, kind, ses, Shaft, Df, Tol, 3, new double[64], new double[4096], evidence, "test", measuredSpeed, penalty);

    [Fact]
    public void A_family_that_lines_up_only_at_the_edge_of_the_tolerance_is_charged_for_its_distance_from_the_measured_speed()
    {
        // BPFI and its sidebands, 2.8 % fast: the shape of a comb of other lines reaching an inner-race family.
        const double s = 1.028;
        var f = Orders.Bpfi * Shaft;
        var ses = Spectrum(
            (f * s, 5), (2 * f * s, 5), (3 * f * s, 5),
            ((f - Shaft) * s, 4), ((f + Shaft) * s, 4), ((2 * f - Shaft) * s, 4), ((2 * f + Shaft) * s, 4));
        var uncharged = Score(FaultKind.InnerRace, ses, measuredSpeed: 1, penalty: 0);
        var charged = Score(FaultKind.InnerRace, ses, measuredSpeed: 1, penalty: FaultLines.SpeedPenaltyDb);
        Assert.True(uncharged > 30, $"uncharged {uncharged:0.0}");

        // (0.028 / 0.03)² × 48 dB ≈ 42 dB: the whole score.
        Assert.True(charged < uncharged - 25, $"charged {charged:0.0} against {uncharged:0.0}");

        // The same family at the measured speed costs nothing.
        var atSpeed = Score(FaultKind.InnerRace, ses, measuredSpeed: s, penalty: FaultLines.SpeedPenaltyDb);
        Assert.Equal(uncharged, atSpeed, 1);
    }

    [Fact]
    public void A_family_that_has_its_own_lines_at_the_measured_speed_is_scored_there_and_not_at_a_stronger_comb()
    {
        // BPFO lines at the measured speed (amplitude 3), and a stronger set (amplitude 6) 2.5 % slow.
        var f = Orders.Bpfo * Shaft;
        var ses = Spectrum((f, 3), (2 * f, 3), (3 * f, 3), (f * 0.975, 6), (2 * f * 0.975, 6), (3 * f * 0.975, 6));
        var evidence = new List<FaultEvidence>();
        var score = Score(FaultKind.OuterRace, ses, measuredSpeed: 1, penalty: FaultLines.SpeedPenaltyDb, evidence);

        // Three lines of 20·log10(3) − 3 ≈ 6.5 dB each, found at the measured speed, not at the comb 2.5 % away.
        Assert.InRange(score, 17, 21);
        var first = Assert.Single(evidence, e => e.Label == "BPFO x1");
        Assert.Equal(f, first.FoundHz, 0.6);
    }

    [Fact]
    public void A_ball_harmonic_on_a_race_line_is_replaced_by_the_next_one()
    {
        // On the 6205, 3 × 2×BSF (14.14 orders) sits on 4 × BPFO (14.34): it proves nothing about the ball.
        var f = 2 * Orders.Bsf * Shaft;
        var ses = Spectrum((f, 4), (2 * f, 4), (4 * f, 4), (5 * f, 4));
        var evidence = new List<FaultEvidence>();
        var score = Score(FaultKind.Ball, ses, measuredSpeed: 1, penalty: 0, evidence);
        var carriers = evidence.Where(e => !e.Label.Contains('+', StringComparison.Ordinal) && !e.Label.Contains('-', StringComparison.Ordinal))
            .Select(e => e.Label).ToList();
        Assert.DoesNotContain("2xBSF x3", carriers);
        Assert.Equal(3, carriers.Count);
        Assert.Contains(carriers, l => l is "2xBSF x4" or "2xBSF x5");

        // Three lines of 20·log10(4) − 3 ≈ 9 dB each.
        Assert.True(score > 25, $"score {score:0.0}: {string.Join(", ", carriers)}");
    }

    [Theory]
    [InlineData(12_000, 121_000, 32_768)]
    [InlineData(48_000, 243_938, 65_536)]
    [InlineData(12_000, 12_000, 8_192)]
    [InlineData(25_600, 25_600, 16_384)]
    [InlineData(25_600, 2_560, 2_048)]
    public void A_whole_capture_gets_the_longest_segments_that_still_average_four(int fs, int samples, int expected)
    {
        var n = VibrationAnalyzer.CaptureWindowSize(fs, samples);
        Assert.Equal(expected, n);
        Assert.True(n <= samples, "a segment never exceeds the capture");
    }
}
