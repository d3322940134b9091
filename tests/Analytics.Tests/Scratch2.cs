namespace TwinCluster.Analytics.Tests;

public sealed class Scratch2(ITestOutputHelper output)
{
    [Fact]
    public void Peaks()
    {
        var dir = TestData.RequireDir("cwru-fan-end");
        var g = new BearingGeometry(8, 0.2656, 1.122, 0);
        var o = g.FaultOrders();
        output.WriteLine($"orders bpfo {o.Bpfo:0.000} bpfi {o.Bpfi:0.000} 2bsf {2*o.Bsf:0.000} ftf {o.Ftf:0.000}");
        var manifest = TestData.Manifest(dir);
        foreach (var c in manifest.GetProperty("captures").EnumerateArray())
        {
            var file = c.GetProperty("file").GetString()!;
            var shaft = c.GetProperty("shaftRpm").GetDouble() / 60;
            var x = TestData.ReadColumn(Path.Combine(dir, file));
            var d = TextbookEnvelope.Diagnose(x, 12000, shaft, g);
            var s = TextbookEnvelope.SquaredEnvelopeSpectrum(x, 12000);
            var lim = (int)(12 * shaft / s.Df);
            var med = s.Ses[1..lim].Order().ToArray()[lim / 2];
            var peaks = Enumerable.Range(2, lim).Where(k => s.Ses[k] > s.Ses[k - 1] && s.Ses[k] >= s.Ses[k + 1]).OrderByDescending(k => s.Ses[k]).Take(10)
                .Select(k => $"{k * s.Df / shaft:0.00}x:{20 * Math.Log10(s.Ses[k] / med):0}");
            output.WriteLine($"{file} textbook {d.Fault} o={d.OuterDb:0.0} i={d.InnerDb:0.0} b={d.BallDb:0.0} | " + string.Join(" ", peaks));
        }
    }
}
