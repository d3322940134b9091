namespace TwinCluster.Analytics.Tests;

/// <summary>Synthetic vibration with known fault frequencies: impacts ringing a resonance, shaft lines, noise, drift.</summary>
internal static class Synthetic
{
    /// <param name="faultOrder">Impacts per shaft revolution (e.g. BPFO order); 0 for none.</param>
    /// <param name="shaftModulation">Depth of amplitude modulation at shaft speed (inner race: the defect rotates through the load zone).</param>
    /// <param name="modulationHz">Modulation frequency; 0 means shaft speed.</param>
    /// <param name="drift">Relative speed change across the capture (0.02 = speed rises 2 %).</param>
    public static double[] Signal(
        double fs, int n, double shaftHz, double faultOrder, double impactG = 1.0, double noiseG = 0.3,
        double resonanceHz = 3000, double shaftModulation = 0, double modulationHz = 0, double drift = 0,
        double oneXG = 0.02, double twoXG = 0.01, int seed = 1)
    {
        var rng = new Random(seed);
        var x = new double[n];
        var dt = 1 / fs;
        var damping = 800.0; // 1/s: a ring-down over about a millisecond
        var modHz = modulationHz > 0 ? modulationHz : shaftHz;
        double shaftPhase = 0, faultPhase = 0;
        var nextImpact = 0.0;
        for (var i = 0; i < n; i++)
        {
            var speed = shaftHz * (1 + drift * i / n);
            shaftPhase += speed * dt;
            x[i] += oneXG * Math.Sin(2 * Math.PI * shaftPhase) + twoXG * Math.Sin(4 * Math.PI * shaftPhase + 0.3);
            if (faultOrder > 0)
            {
                faultPhase += faultOrder * speed * dt;
                if (faultPhase >= nextImpact)
                {
                    // Slip: impacts jitter by about 1 % of their period.
                    nextImpact += 1 + 0.01 * Gaussian(rng);
                    var amplitude = impactG * (1 + shaftModulation * Math.Cos(2 * Math.PI * modHz * i * dt));
                    var len = Math.Min(n - i, (int)(8 / damping * fs));
                    for (var j = 0; j < len; j++)
                    {
                        var t = j * dt;
                        x[i + j] += amplitude * Math.Exp(-damping * t) * Math.Sin(2 * Math.PI * resonanceHz * t);
                    }
                }
            }

            x[i] += noiseG * Gaussian(rng);
        }

        return x;
    }

    public static double Gaussian(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
