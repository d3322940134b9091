using System.Collections.Immutable;
using System.Runtime.Intrinsics;
using TwinCluster.Analytics.Fft;
using TwinCluster.Analytics.Internal;

namespace TwinCluster.Analytics;

/// <summary>
/// Analyses windows of vibration samples from one channel: indicators, Welch spectra, velocity severity, envelope
/// spectra over a grid of pre-whitened bands, bearing/shaft diagnosis with evidence, and a health index.
/// Create once per channel and reuse: buffers and FFT plans are kept between calls. Not thread-safe.
/// </summary>
public sealed class VibrationAnalyzer
{
    private readonly VibrationAnalyzerOptions _options;
    private readonly SeverityZones _zones;
    private readonly FaultFrequencies? _orders;
    private readonly double _fs;
    private readonly int _n;
    private readonly int _bins;
    private readonly double _df;
    private readonly RealFft _fft;
    private readonly double[] _window;
    private readonly double _sumW2;
    private readonly double[] _seg;
    private readonly double[] _power;
    private readonly FrequencyBand[] _grid;
    private readonly Dictionary<int, EnvelopePlan> _envelopePlans = [];
    private readonly double[] _medianScratch = new double[4096];
    private readonly double[] _floors = new double[64];
    private double[] _specRe = [];
    private double[] _specIm = [];
    private double[] _ses = [];
    private double[] _envelopes = [];
    private double[] _tileRe = [];
    private double[] _tileIm = [];
    private readonly bool[] _candidate;
    private readonly double[] _bandSk;
    private readonly double[] _bandM2;
    private readonly double[] _bandM4;
    private readonly int[] _bandLo;
    private readonly int[] _bandHi;

    /// <summary>Creates an analyzer; validates the options.</summary>
    public VibrationAnalyzer(VibrationAnalyzerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SampleRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "SampleRateHz must be positive.");
        }

        if (options.Overlap is < 0 or > 0.75)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Overlap must be in [0, 0.75].");
        }

        _options = options;
        _zones = options.Zones ?? SeverityZones.For(options.Component);
        _orders = options.Bearing?.FaultOrders();
        _fs = options.SampleRateHz;
        _n = options.WindowSize > 0 ? options.WindowSize : DefaultWindowSize(options.SampleRateHz);
        _fft = new RealFft(_n);
        _bins = _n / 2 + 1;
        _df = _fs / _n;
        _window = new double[_n];
        double sumW2 = 0;
        for (var i = 0; i < _n; i++)
        {
            // Periodic Hann.
            _window[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / _n);
            sumW2 += _window[i] * _window[i];
        }

        _sumW2 = sumW2;
        _seg = new double[_n];
        _power = new double[_bins];

        var grid = new List<FrequencyBand> { new(0, _fs / 2) };
        for (var level = 1; level <= Math.Max(0, options.EnvelopeLevels); level++)
        {
            var width = _fs / 2 / (1 << level);
            for (var i = 0; i < (2 << level) - 1; i++)
            {
                grid.Add(new FrequencyBand(i * width / 2, i * width / 2 + width));
            }
        }

        _grid = [.. grid];
        _bandM2 = new double[_grid.Length];
        _bandM4 = new double[_grid.Length];
        _bandLo = new int[_grid.Length];
        _candidate = new bool[_grid.Length];
        _bandSk = new double[_grid.Length];
        _bandHi = new int[_grid.Length];
    }

    /// <summary>Samples per spectral segment; inputs must be at least this long.</summary>
    public int WindowSize => _n;

    /// <summary>Frequency resolution of spectra in Hz.</summary>
    public double ResolutionHz => _df;

    /// <summary>Forces one inverse transform per band instead of the tiled sums (tests compare the two).</summary>
    internal bool DirectEnvelopes { get; set; }

    /// <summary>The options this analyzer was built with.</summary>
    public VibrationAnalyzerOptions Options => _options;

    /// <summary>
    /// The spectra of the latest <see cref="Analyze(ReadOnlySpan{double}, double)"/> call, each reduced to at most
    /// <paramref name="maxPoints"/> points (for display: the dashboard's condition page); null before the first call.
    /// </summary>
    public AnalyzerSpectra? LatestSpectra(int maxPoints)
    {
        if (_lastHalf == 0)
        {
            return null;
        }

        var (spectrum, factor) = AnalyzerSpectra.Reduce(_power, maxPoints, squareRoot: true);
        var envelope = ImmutableArray<float>.Empty;
        var envelopeFactor = 1;
        if (_lastEnvelopeBand >= 0)
        {
            (envelope, envelopeFactor) = AnalyzerSpectra.Reduce(_ses.AsSpan(_lastEnvelopeBand * _lastHalf, _lastHalf), maxPoints);
        }

        var band = _lastEnvelopeBand >= 0 ? new FrequencyBand(_bandLo[_lastEnvelopeBand] * _df, _bandHi[_lastEnvelopeBand] * _df) : default;
        return new AnalyzerSpectra(factor * _df, spectrum, envelopeFactor * _df, envelope, band);
    }

    /// <summary>
    /// The envelope spectrum of the latest analysis alone, reduced to at most <paramref name="maxPoints"/> points
    /// by the maximum of each run, with the step between them; null before the first call or without an envelope band.
    /// </summary>
    public (ImmutableArray<float> Values, double StepHz)? LatestEnvelope(int maxPoints)
    {
        if (_lastHalf == 0 || _lastEnvelopeBand < 0)
        {
            return null;
        }

        var (envelope, factor) = AnalyzerSpectra.Reduce(_ses.AsSpan(_lastEnvelopeBand * _lastHalf, _lastHalf), maxPoints);
        return (envelope, factor * _df);
    }

    private int _lastEnvelopeBand = -1;
    private int _lastHalf;

    /// <summary>The power of two nearest to half a second of samples, within [1,024, 65,536].</summary>
    public static int DefaultWindowSize(double sampleRateHz)
    {
        var n = Stats.NextPowerOfTwo((int)Math.Ceiling(sampleRateHz / 2));
        if (n / 2 >= sampleRateHz / 2 * 0.75)
        {
            n /= 2;
        }

        return Math.Clamp(n, 1024, 65536);
    }

    /// <summary>
    /// The segment length for analysing a whole capture of <paramref name="sampleCount"/> samples (offline, or any
    /// record longer than a few default windows): the longest power of two of which the capture holds more than three
    /// (so that four spread segments are averaged), and never shorter than <see cref="DefaultWindowSize"/> allows.
    /// Finer lines matter most for ball defects: 2×BSF moves with the ball's slip and carries sidebands at the cage
    /// rate (0.4 orders), which a 1.5 Hz resolution smears into the floor (CWRU drive-end 0.021-inch ball faults score
    /// 8.5 and 5.1 at 8,192 points, 17.7 and 15.4 at 32,768, over a threshold of 14). Fewer than four averages make
    /// the floor itself too rough for the 3 dB line allowance (at two, a drive-end ball fault reads outer race).
    /// </summary>
    public static int CaptureWindowSize(double sampleRateHz, int sampleCount)
    {
        var n = Math.Min(DefaultWindowSize(sampleRateHz), Stats.PreviousPowerOfTwo(Math.Max(1, sampleCount)));
        while (n < MaxCaptureWindow && (long)sampleCount > 3L * (2 * n))
        {
            n *= 2;
        }

        return n;
    }

    private const int MaxCaptureWindow = 1 << 18;

    /// <summary>Analyses single-precision samples (converted through a reused buffer).</summary>
    public AnalysisResult Analyze(ReadOnlySpan<float> samples, double shaftHz)
    {
        var buffer = System.Buffers.ArrayPool<double>.Shared.Rent(samples.Length);
        try
        {
            for (var i = 0; i < samples.Length; i++)
            {
                buffer[i] = samples[i];
            }

            return Analyze(buffer.AsSpan(0, samples.Length), shaftHz);
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Analyses a window of at least <see cref="WindowSize"/> samples taken at a shaft speed of
    /// <paramref name="shaftHz"/> (a live reading; errors up to <see cref="ConditionAnalyzerOptions.SpeedTolerance"/> are tolerated).
    /// Longer inputs are Welch-averaged over overlapping segments.
    /// </summary>
    public AnalysisResult Analyze(ReadOnlySpan<double> samples, double shaftHz)
    {
        if (samples.Length < _n)
        {
            throw new ArgumentException($"Need at least {_n} samples, got {samples.Length}.", nameof(samples));
        }

        if (!(shaftHz > 0) || double.IsInfinity(shaftHz))
        {
            throw new ArgumentOutOfRangeException(nameof(shaftHz), shaftHz, "Shaft speed must be positive.");
        }

        var td = TimeDomain(samples);
        var segments = ComputeSpectra(samples, td.Mean);

        // Velocity from acceleration: divide each line by 2πf (Welch power per bin, one-sided).
        var toMm = _options.UnitToMetresPerSecondSquared * 1000 / (2 * Math.PI);
        double velPower = 0;
        var kLo = Math.Max(1, (int)Math.Ceiling(_zones.LowHz / _df));
        var kHi = Math.Min(_bins - 1, (int)Math.Floor(_zones.HighHz / _df));
        for (var k = kLo; k <= kHi; k++)
        {
            var f = k * _df;
            velPower += _power[k] * (toMm / f) * (toMm / f);
        }

        var rmsVelocity = Math.Sqrt(velPower);
        var v1 = LineVelocity(shaftHz, toMm);
        var v2 = LineVelocity(2 * shaftHz, toMm);

        var fmax = _fs / 2;
        double[] edges = [0, fmax / 8, fmax / 4, fmax / 2, fmax];
        var bandRms = new double[edges.Length - 1];
        for (var b = 0; b < bandRms.Length; b++)
        {
            double sum = 0;
            var a = (int)Math.Ceiling(edges[b] / _df);
            var z = Math.Min(_bins - 1, (int)Math.Ceiling(edges[b + 1] / _df) - 1);
            if (b == bandRms.Length - 1)
            {
                z = _bins - 1;
            }

            for (var k = a; k <= z; k++)
            {
                sum += _power[k];
            }

            bandRms[b] = Math.Sqrt(sum);
        }

        var envelope = Envelope(segments, shaftHz);
        var zone = _zones.Classify(rmsVelocity);
        var indicators = new VibrationIndicators(
            td.Rms, td.Peak, td.Rms > 0 ? td.Peak / td.Rms : 0, td.Kurtosis, rmsVelocity, v1, v2,
            envelope.Kurtosis, envelope.KurtosisBand, [.. bandRms], [.. edges]);
        var diagnosis = Diagnose(envelope, indicators, zone, shaftHz);
        var health = FaultLines.HealthIndex(diagnosis, rmsVelocity, td.Kurtosis, _zones, _options.FaultScoreThreshold);
        FaultFrequencies? ff = _orders is null ? null
            : new FaultFrequencies(_orders.Bpfo * shaftHz, _orders.Bpfi * shaftHz, _orders.Bsf * shaftHz, _orders.Ftf * shaftHz);
        return new AnalysisResult(shaftHz, indicators, ff, diagnosis, zone, health);
    }

    private double LineVelocity(double fHz, double toMm)
    {
        var tol = _options.SpeedTolerance * fHz;
        var a = Math.Max(1, (int)Math.Floor((fHz - tol) / _df) - 2);
        var z = Math.Min(_bins - 1, (int)Math.Ceiling((fHz + tol) / _df) + 2);
        if (a > z)
        {
            return 0;
        }

        // Strongest bin within the tolerance, then the Hann main lobe around it (±2 bins) holds the line's power.
        var best = a;
        for (var k = a; k <= z; k++)
        {
            if (_power[k] > _power[best])
            {
                best = k;
            }
        }

        double sum = 0;
        for (var k = Math.Max(1, best - 2); k <= Math.Min(_bins - 1, best + 2); k++)
        {
            var f = k * _df;
            sum += _power[k] * (toMm / f) * (toMm / f);
        }

        // Hann spreads a line's power over 1.5 bins' worth of equivalent noise bandwidth.
        return Math.Sqrt(sum / 1.5);
    }

    private static (double Mean, double Rms, double Peak, double Kurtosis) TimeDomain(ReadOnlySpan<double> x)
    {
        var (mean, m2, m4, peak) = Simd.Moments(x);
        return (mean, Math.Sqrt(m2), peak, m2 > 0 ? m4 / (m2 * m2) : 0);
    }

    private int ComputeSpectra(ReadOnlySpan<double> x, double mean)
    {
        var hop = Math.Max(1, (int)(_n * (1 - _options.Overlap)));
        var len = x.Length;
        var count = len == _n ? 1 : 1 + (int)Math.Ceiling((len - _n) / (double)hop);
        if (_specRe.Length < count * _bins)
        {
            _specRe = new double[count * _bins];
            _specIm = new double[count * _bins];
        }

        Array.Clear(_power);
        for (var s = 0; s < count; s++)
        {
            var start = count == 1 ? 0 : (int)((long)(len - _n) * s / (count - 1));
            var src = x.Slice(start, _n);
            Simd.SubtractMultiply(src, mean, _window, _seg);
            var re = _specRe.AsSpan(s * _bins, _bins);
            var im = _specIm.AsSpan(s * _bins, _bins);
            _fft.Forward(_seg, re, im);

            // Pre-whitening (unit magnitude per bin, the frequency-domain form of cepstral pre-whitening)
            // removes discrete lines and the transfer path's colour before demodulation.
            Simd.AccumulatePowerAndWhiten(re, im, _power);
        }

        // One-sided mean-square per bin: sum over bins equals the signal's mean square.
        var scale = 2.0 / (_n * _sumW2 * count);
        for (var k = 0; k < _bins; k++)
        {
            _power[k] *= scale;
        }

        _power[0] *= 0.5;
        _power[_bins - 1] *= 0.5;
        return count;
    }

    private EnvelopePlan PlanFor(int m)
    {
        if (!_envelopePlans.TryGetValue(m, out var plan))
        {
            plan = new EnvelopePlan(m);
            _envelopePlans[m] = plan;
        }

        return plan;
    }

    private double NeededEnvelopeHz(double shaftHz)
    {
        var h = Math.Max(1, _options.Harmonics);
        if (_orders is null)
        {
            return 10 * shaftHz;
        }

        var maxOrder = Math.Max(h * _orders.Bpfi, h * 2 * _orders.Bsf);
        maxOrder = Math.Max(maxOrder, h * _orders.Bpfo);
        return (maxOrder * (1 + _options.SpeedTolerance) + 2) * shaftHz;
    }

    private EnvelopeResult Envelope(int segments, double shaftHz)
    {
        var need = NeededEnvelopeHz(shaftHz);
        var m = Math.Clamp(Stats.NextPowerOfTwo((int)Math.Ceiling(2 * need / _df)), 64, _n / 2);
        var half = m / 2 + 1;
        var plan = PlanFor(m);
        if (plan.InverseWindowSquared[m / 2] == 0)
        {
            for (var j = 0; j < m; j++)
            {
                var w = _window[j * (_n / m)];
                plan.InverseWindowSquared[j] = w > 1e-9 ? 1 / (w * w) : 0;
            }
        }

        var bands = _grid.Length;
        if (_ses.Length < bands * half)
        {
            _ses = new double[bands * half];
        }

        Array.Clear(_ses, 0, bands * half);
        if (_envelopes.Length < segments * bands * m)
        {
            _envelopes = new double[segments * bands * m];
        }

        Array.Clear(_bandM2);
        Array.Clear(_bandM4);
        var lowCut = (int)Math.Ceiling(need / _df);
        for (var b = 0; b < bands; b++)
        {
            var lo = Math.Max(lowCut, (int)Math.Round(_grid[b].LowHz / _df));
            var hi = Math.Min(_bins - 2, (int)Math.Round(_grid[b].HighHz / _df));
            var nominal = _grid[b].Width / _df;
            // Bands mostly below the demodulated range carry no usable envelope.
            if (hi - lo < 0.6 * nominal || hi - lo < 16)
            {
                lo = hi = -1;
            }

            _bandLo[b] = lo;
            _bandHi[b] = hi;
        }

        var tiles = TilePlan(m);
        for (var s = 0; s < segments; s++)
        {
            var re = _specRe.AsSpan(s * _bins, _bins);
            var im = _specIm.AsSpan(s * _bins, _bins);
            if (tiles.Width > 0)
            {
                TiledEnvelopes(s, re, im, plan, tiles, lowCut);
                continue;
            }

            for (var b = 0; b < bands; b++)
            {
                var lo = _bandLo[b];
                var hi = _bandHi[b];
                if (lo < 0)
                {
                    continue;
                }

                var cr = plan.Re;
                var ci = plan.Im;
                // Folding bins modulo m samples the complex envelope exactly at the decimated instants.
                var first = Math.Min(m, hi - lo + 1);
                re.Slice(lo, first).CopyTo(cr);
                im.Slice(lo, first).CopyTo(ci);
                cr.AsSpan(first).Clear();
                ci.AsSpan(first).Clear();
                for (var c = lo + m; c <= hi; c += m)
                {
                    var len = Math.Min(m, hi - c + 1);
                    AddInto(cr.AsSpan(0, len), re.Slice(c, len));
                    AddInto(ci.AsSpan(0, len), im.Slice(c, len));
                }

                // Ratios (kurtosis, prominence) need no 1/m scaling.
                plan.Complex.InverseUnscaled(cr, ci);
                AccumulateBand(s, b, plan);
            }
        }

        // Spectral kurtosis of each band: E|c|^4 / (E|c|^2)^2 - 2 of the complex envelope, window taper divided out.
        var bestSk = -1;
        var bestSkValue = double.NegativeInfinity;
        var count = (3 * m / 4 - (m / 4 + 1)) * segments;
        for (var b = 0; b < bands; b++)
        {
            _candidate[b] = false;
            _bandSk[b] = double.NegativeInfinity;
            if (_bandLo[b] < 0)
            {
                continue;
            }

            _bandSk[b] = _bandM2[b] > 0 ? _bandM4[b] * count / (_bandM2[b] * _bandM2[b]) - 2 : 0;
            if (_bandSk[b] > bestSkValue)
            {
                bestSkValue = _bandSk[b];
                bestSk = b;
            }
        }

        // Envelope spectra for the whole band and the most impulsive bands only; diagnosis picks among these.
        var wanted = _options.EnvelopeCandidates <= 0 ? bands : _options.EnvelopeCandidates;
        _candidate[0] = _bandLo[0] >= 0;
        for (var c = _candidate[0] ? 1 : 0; c < wanted; c++)
        {
            var pick = -1;
            for (var b = 1; b < bands; b++)
            {
                if (!_candidate[b] && _bandLo[b] >= 0 && (pick < 0 || _bandSk[b] > _bandSk[pick]))
                {
                    pick = b;
                }
            }

            if (pick < 0)
            {
                break;
            }

            _candidate[pick] = true;
        }

        for (var s = 0; s < segments; s++)
        {
            for (var b = 0; b < bands; b++)
            {
                if (!_candidate[b])
                {
                    continue;
                }

                // Removing the envelope's mean only clears bin 0 of its spectrum, so that is all that is done.
                plan.Real.Forward(_envelopes.AsSpan((s * bands + b) * m, m), plan.SesRe, plan.SesIm);
                plan.SesRe[0] = 0;
                plan.SesIm[0] = 0;
                Simd.AccumulateSquaredMagnitude(plan.SesRe, plan.SesIm, _ses.AsSpan(b * half, half));
            }
        }

        for (var b = 0; b < bands; b++)
        {
            if (!_candidate[b])
            {
                continue;
            }

            var acc = _ses.AsSpan(b * half, half);
            for (var k = 0; k < half; k++)
            {
                acc[k] = Math.Sqrt(acc[k]);
            }
        }

        var kurtBand = bestSk >= 0 ? new FrequencyBand(_bandLo[bestSk] * _df, _bandHi[bestSk] * _df) : default;
        return new EnvelopeResult(m, half, bestSk, Math.Max(0, bestSkValue), kurtBand);
    }

    // Squared envelope of band b in segment s from plan.Re/Im, and the band's moments on the middle half.
    private void AccumulateBand(int s, int b, EnvelopePlan plan)
    {
        var m = plan.Re.Length;
        var env = _envelopes.AsSpan((s * _grid.Length + b) * m, m);
        Simd.SquaredMagnitude(plan.Re, plan.Im, env);
        BandMoments(b, env, plan);
    }

    private void BandMoments(int b, ReadOnlySpan<double> env, EnvelopePlan plan)
    {
        // Hann's square exceeds 1/4 on the middle half only; divide the taper out there.
        var m = env.Length;
        var middle = m / 4 + 1;
        var (m2, m4) = Simd.WeightedMoments(env[middle..(3 * m / 4)], plan.InverseWindowSquared.AsSpan(middle, 3 * m / 4 - middle));
        _bandM2[b] += m2;
        _bandM4[b] += m4;
    }

    /// <summary>
    /// When every band of the grid is a run of whole finest-level bands whose offsets are multiples of m/2, the
    /// inverse transforms are taken once per finest band ("tile", half-open, referenced to its nominal start) and each
    /// band's complex envelope is the sum of its tiles (times (-1)^j for an odd multiple of m/2) plus its inclusive top
    /// bin: by linearity this is the same envelope as folding the band's bins directly, up to a phase ramp that |c|² drops.
    /// Width 0 means the grid does not qualify.
    /// </summary>
    private TileLayout TilePlan(int m)
    {
        var levels = Math.Max(0, _options.EnvelopeLevels);
        if (levels == 0 || DirectEnvelopes)
        {
            return default;
        }

        var count = (2 << levels) - 1;
        var first = _grid.Length - count;
        var width = (int)Math.Round(_grid[first].Width / _df);
        if (width < 2 || width % 2 != 0 || 2 * width < m || (width < m ? m % width : width % m) != 0)
        {
            return default;
        }

        for (var b = 0; b < _grid.Length; b++)
        {
            var start = (int)Math.Round(_grid[b].LowHz / _df);
            var end = (int)Math.Round(_grid[b].HighHz / _df);
            if (start % (width / 2) != 0 || (end - start) % width != 0 || end - start < width)
            {
                return default;
            }
        }

        if (_tileRe.Length < count * m)
        {
            _tileRe = new double[count * m];
            _tileIm = new double[count * m];
        }

        return new TileLayout(width, count);
    }

    private void TiledEnvelopes(int s, ReadOnlySpan<double> re, ReadOnlySpan<double> im, EnvelopePlan plan, TileLayout tiles, int lowCut)
    {
        var m = plan.Re.Length;
        var width = tiles.Width;
        var top = _bins - 2;
        for (var t = 0; t < tiles.Count; t++)
        {
            var tr = _tileRe.AsSpan(t * m, m);
            var ti = _tileIm.AsSpan(t * m, m);
            var start = t * width / 2;
            var lo = Math.Max(lowCut, start);
            var hi = Math.Min(top, start + width - 1);
            if (lo > hi)
            {
                tr.Clear();
                ti.Clear();
                continue;
            }

            // Bin k goes to (k - start) mod m: a copy when the tile fits, folded when it is wider than m.
            var first = Math.Min(m - (lo - start) % m, hi - lo + 1);
            var at0 = (lo - start) % m;
            tr[..at0].Clear();
            ti[..at0].Clear();
            re.Slice(lo, first).CopyTo(tr[at0..]);
            im.Slice(lo, first).CopyTo(ti[at0..]);
            tr[(at0 + first)..].Clear();
            ti[(at0 + first)..].Clear();
            for (var c = lo + first; c <= hi;)
            {
                var at = (c - start) % m;
                var len = Math.Min(m - at, hi - c + 1);
                AddInto(tr.Slice(at, len), re.Slice(c, len));
                AddInto(ti.Slice(at, len), im.Slice(c, len));
                c += len;
            }

            plan.Complex.InverseUnscaled(tr, ti);
        }

        for (var b = 0; b < _grid.Length; b++)
        {
            if (_bandLo[b] < 0)
            {
                continue;
            }

            var start = (int)Math.Round(_grid[b].LowHz / _df);
            var end = (int)Math.Round(_grid[b].HighHz / _df);
            var firstTile = start / (width / 2);
            var tileCount = (end - start) / width;

            // The band's bins run up to and including its upper edge (clipped below Nyquist like the direct path).
            var hasTop = end <= top && end >= _bandLo[b];
            var env = _envelopes.AsSpan((s * _grid.Length + b) * m, m);
            SquaredMagnitudeOfTileSum(m, firstTile, tileCount, width, hasTop ? re[end] : 0, hasTop ? im[end] : 0, (end - start) % m != 0, env);
            BandMoments(b, env, plan);
        }
    }

    // |sum of tiles firstTile, firstTile + 2, ... (times (-1)^j at odd multiples of m/2) + top bin|², in one pass.
    private void SquaredMagnitudeOfTileSum(int m, int firstTile, int tileCount, int width, double topRe, double topIm, bool topAlternates, Span<double> destination)
    {
        ref var tilesRe = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_tileRe);
        ref var tilesIm = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_tileIm);
        ref var d = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
        Span<int> offsets = stackalloc int[Math.Min(tileCount, 64)];
        Span<bool> alternates = stackalloc bool[offsets.Length];
        if (offsets.Length < tileCount)
        {
            throw new InvalidOperationException("Too many tiles per band.");
        }

        for (var k = 0; k < tileCount; k++)
        {
            offsets[k] = (firstTile + 2 * k) * m;
            alternates[k] = k * width % m != 0;
        }

        var j = 0;
        if (Vector256.IsHardwareAccelerated && m % 4 == 0)
        {
            var sign = Vector256.Create(1.0, -1.0, 1.0, -1.0);
            var topSign = topAlternates ? sign : Vector256<double>.One;
            var cr = topSign * Vector256.Create(topRe);
            var ci = topSign * Vector256.Create(topIm);
            for (; j < m; j += 4)
            {
                var sr = cr;
                var si = ci;
                for (var k = 0; k < tileCount; k++)
                {
                    var at = (nuint)(offsets[k] + j);
                    var xr = Vector256.LoadUnsafe(ref tilesRe, at);
                    var xi = Vector256.LoadUnsafe(ref tilesIm, at);
                    if (alternates[k])
                    {
                        sr += sign * xr;
                        si += sign * xi;
                    }
                    else
                    {
                        sr += xr;
                        si += xi;
                    }
                }

                (sr * sr + si * si).StoreUnsafe(ref d, (nuint)j);
            }

            return;
        }

        for (; j < m; j++)
        {
            var odd = (j & 1) != 0;
            var sr = topAlternates && odd ? -topRe : topRe;
            var si = topAlternates && odd ? -topIm : topIm;
            for (var k = 0; k < tileCount; k++)
            {
                var xr = _tileRe[offsets[k] + j];
                var xi = _tileIm[offsets[k] + j];
                sr += alternates[k] && odd ? -xr : xr;
                si += alternates[k] && odd ? -xi : xi;
            }

            destination[j] = sr * sr + si * si;
        }
    }

    private readonly record struct TileLayout(int Width, int Count);

    private static void AddInto(Span<double> destination, ReadOnlySpan<double> source)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= source.Length - 4; i += 4)
            {
                var sum = Vector256.Create<double>(destination.Slice(i, 4)) + Vector256.Create<double>(source.Slice(i, 4));
                Vector256.CopyTo(sum, destination.Slice(i, 4));
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] += source[i];
        }
    }

    private Diagnosis Diagnose(EnvelopeResult envelope, VibrationIndicators ind, SeverityZone zone, double shaftHz)
    {
        var scores = ImmutableDictionary.CreateBuilder<FaultKind, double>();
        var threshold = _options.FaultScoreThreshold;
        (_measuredSpeed, var shaftLinesDb) = MeasureSpeed(shaftHz);
        _measuredSpeedPenalty = shaftLinesDb >= MinShaftLinesDb ? FaultLines.SpeedPenaltyDb : 0;
        ReadOnlySpan<FaultKind> kinds = _orders is null ? [] : [FaultKind.OuterRace, FaultKind.InnerRace, FaultKind.Ball, FaultKind.Cage];
        Span<double> kindBest = stackalloc double[kinds.Length];
        Span<int> kindBand = stackalloc int[kinds.Length];
        for (var c = 0; c < kinds.Length; c++)
        {
            kindBand[c] = -1;
            for (var b = 0; b < _grid.Length; b++)
            {
                if (!_candidate[b])
                {
                    continue;
                }

                var sc = ScoreFault(kinds[c], _ses.AsSpan(b * envelope.Half, envelope.Half), shaftHz, null);
                if (sc > kindBest[c])
                {
                    kindBest[c] = sc;
                    kindBand[c] = b;
                }
            }
        }

        var ranking = DefectVerdict.Rank(kinds, kindBest, scores);
        _lastHalf = envelope.Half;
        _lastEnvelopeBand = ranking.Best >= 0 && kindBand[ranking.Best] >= 0 ? kindBand[ranking.Best] : _candidate[0] ? 0 : -1;
        var band = ranking.Best >= 0 && kindBand[ranking.Best] >= 0
            ? new FrequencyBand(_bandLo[kindBand[ranking.Best]] * _df, _bandHi[kindBand[ranking.Best]] * _df)
            : default;
        if (DefectVerdict.IsDefect(ranking, threshold))
        {
            var best = kinds[ranking.Best];
            var evidence = new List<FaultEvidence>();
            ScoreFault(best, _ses.AsSpan(kindBand[ranking.Best] * envelope.Half, envelope.Half), shaftHz, evidence);
            evidence.Sort((a, b) => b.ProminenceDb.CompareTo(a.ProminenceDb));
            return new Diagnosis(best, DefectVerdict.DefectConfidence(ranking, threshold), [.. evidence], scores.ToImmutable()) { Band = band };
        }

        var level = ind.RmsVelocity;
        var shaftEvidence = ImmutableArray.Create(
            new FaultEvidence("1x", shaftHz, shaftHz, 20 * Math.Log10(Math.Max(ind.Velocity1X, 1e-12) / Math.Max(level, 1e-12)), "velocity"),
            new FaultEvidence("2x", 2 * shaftHz, 2 * shaftHz, 20 * Math.Log10(Math.Max(ind.Velocity2X, 1e-12) / Math.Max(level, 1e-12)), "velocity"));
        var elevated = zone >= SeverityZone.B;
        var imbalance = elevated && ind.Velocity1X >= 0.7 * level && ind.Velocity2X < 0.5 * ind.Velocity1X
            ? Math.Min(1, ind.Velocity1X / level) : 0;
        var misalignment = elevated && ind.Velocity2X >= 0.75 * ind.Velocity1X
            && Math.Sqrt(ind.Velocity1X * ind.Velocity1X + ind.Velocity2X * ind.Velocity2X) >= 0.5 * level
            ? Math.Min(1, Math.Sqrt(ind.Velocity1X * ind.Velocity1X + ind.Velocity2X * ind.Velocity2X) / level) : 0;
        scores[FaultKind.Imbalance] = Math.Round(imbalance, 3);
        scores[FaultKind.Misalignment] = Math.Round(misalignment, 3);
        if (imbalance > 0 || misalignment > 0)
        {
            var kind = imbalance >= misalignment ? FaultKind.Imbalance : FaultKind.Misalignment;
            var c = Math.Max(imbalance, misalignment) * (zone >= SeverityZone.C ? 1 : 0.8);
            return new Diagnosis(kind, Math.Round(c, 3), shaftEvidence, scores.ToImmutable()) { Band = band };
        }

        return DefectVerdict.NoDefect(ranking, threshold, zone, ind.Kurtosis, scores) with { Band = band };
    }

    /// <summary>Harmonic-sum prominence of a defect's lines in one envelope spectrum (see <see cref="FaultLines.Score"/>).</summary>
    private double ScoreFault(FaultKind kind, ReadOnlySpan<double> ses, double shaftHz, List<FaultEvidence>? evidence) =>
        FaultLines.Score(_orders!, kind, ses, shaftHz, _df, _options.SpeedTolerance, _options.Harmonics, _floors, _medianScratch, evidence, "envelope",
            _measuredSpeed, _measuredSpeedPenalty);

    private double _measuredSpeed = 1;
    private double[] _speedDb = [];
    private double _measuredSpeedPenalty;

    /// <summary>
    /// The shaft speed measured from the spectrum, as a factor of the reading: the common factor within the speed
    /// tolerance at which the first shaft harmonics stand highest over their local median. Defect lines found at a
    /// speed far from it are discounted (up to <see cref="FaultLines.SpeedPenaltyDb"/> at the whole tolerance): a
    /// harmonic family that needs another speed than the shaft's own lines belongs to something else. Without clear
    /// shaft lines nothing is discounted.
    /// </summary>
    private (double Factor, double ProminenceDb) MeasureSpeed(double shaftHz)
    {
        var tol = _options.SpeedTolerance;
        var harmonics = 0;
        Span<double> floor = stackalloc double[ShaftHarmonics];
        for (var h = 1; h <= ShaftHarmonics; h++)
        {
            var c = h * shaftHz / _df;
            var excl = (int)Math.Ceiling(tol * c) + 2;
            var half = Math.Max(8, (int)(0.4 * shaftHz / _df));
            if (c + excl + half >= _bins - 1)
            {
                break;
            }

            var n = 0;
            for (var k = Math.Max(1, (int)c - excl - half); k <= (int)c + excl + half && n < _medianScratch.Length; k++)
            {
                if (Math.Abs(k - c) > excl)
                {
                    _medianScratch[n++] = _power[k];
                }
            }

            if (n == 0)
            {
                break;
            }

            floor[h - 1] = Math.Max(Stats.Median(_medianScratch.AsSpan(0, n)), 1e-300);
            harmonics = h;
        }

        if (harmonics < 2)
        {
            return (1, 0);
        }

        var step = 0.25 * _df / (harmonics * shaftHz);
        var best = 1.0;
        var bestSum = double.NegativeInfinity;
        // The sweep visits each bin of a harmonic's range many times (a step is a fraction of a bin): each bin's
        // prominence is computed once, on first use (NaN marks not yet), with the same expression as before.
        Span<int> first = stackalloc int[ShaftHarmonics];
        var width = 0;
        for (var h = 1; h <= harmonics; h++)
        {
            first[h - 1] = (int)Math.Round(h * shaftHz * (1 - tol) / _df);
            width = Math.Max(width, (int)Math.Round(h * shaftHz * (1 + tol + 1e-12) / _df) - first[h - 1] + 2);
        }

        if (_speedDb.Length < harmonics * width)
        {
            _speedDb = new double[harmonics * width];
        }

        var cache = _speedDb.AsSpan(0, harmonics * width);
        cache.Fill(double.NaN);
        for (var s = 1 - tol; s <= 1 + tol + 1e-12; s += step)
        {
            double sum = 0;
            for (var h = 1; h <= harmonics; h++)
            {
                var k = (int)Math.Round(h * shaftHz * s / _df);
                var slot = k - first[h - 1];
                double db;
                if ((uint)slot < (uint)width)
                {
                    ref var cached = ref cache[(h - 1) * width + slot];
                    if (double.IsNaN(cached))
                    {
                        cached = 10 * Math.Log10(Math.Max(_power[k], 1e-300) / floor[h - 1]);
                    }

                    db = cached;
                }
                else
                {
                    db = 10 * Math.Log10(Math.Max(_power[k], 1e-300) / floor[h - 1]);
                }

                sum += db;
            }

            if (sum > bestSum)
            {
                bestSum = sum;
                best = s;
            }
        }

        return (best, bestSum / harmonics);
    }

    private const int ShaftHarmonics = 8;

    // Mean prominence of the shaft harmonics (dB over their local median) below which the measured speed is not trusted.
    private const double MinShaftLinesDb = 6;

    private readonly record struct EnvelopeResult(int M, int Half, int KurtosisBandIndex, double Kurtosis, FrequencyBand KurtosisBand);

    private sealed class EnvelopePlan(int m)
    {
        public ComplexFft Complex { get; } = new(m);

        public RealFft Real { get; } = new(m);

        public double[] Re { get; } = new double[m];

        public double[] Im { get; } = new double[m];

        public double[] SesRe { get; } = new double[m / 2 + 1];

        public double[] SesIm { get; } = new double[m / 2 + 1];

        public double[] InverseWindowSquared { get; } = new double[m];
    }
}
