namespace TwinCluster.Analytics.Simulation;

/// <summary>
/// One simulated accelerometer on a bearing housing, in g: shaft 1×/2× lines, defect impacts ringing a damped
/// structural resonance (impact times jittered by slip, amplitude modulated as the defect kind dictates, scaled by
/// severity), and white noise. Deterministic for a seed; <see cref="Fill(Span{float})"/> continues the signal
/// seamlessly, so any split into blocks gives the same samples as one long call. Not thread-safe: one per channel.
/// </summary>
public sealed class BearingVibrationSimulator
{
    private const double G = 9.80665;

    // Slow quantities (speed drift, severity from a degradation profile) are evaluated on a grid of this many samples,
    // on the absolute sample count so block boundaries do not matter; the drift is interpolated linearly in between.
    private const int GridInterval = 64;

    private readonly BearingVibrationOptions _options;
    private readonly SimulationRandom _random;
    private readonly double _dt;
    private readonly double _impactOrder;
    private readonly double _ftfOrder;
    private readonly double _a1;
    private readonly double _a2;
    private readonly double _inputGain;
    private readonly double _driftPhase1;
    private readonly double _driftPhase2;
    private readonly double _twoXCos;
    private readonly double _twoXSin;

    private long _sample;
    private double _nominalShaftHz;
    private double _severity;
    private double _currentSeverity;
    private double _shaftHz;
    private double _shaftPhase;
    private double _cagePhase;
    private double _faultPhase;
    private double _nextImpact;
    private double _pendingInput;
    private double _y1;
    private double _y2;
    private double _lastFillMeanShaftHz;
    private double _driftAtGrid;
    private double _driftSlope;

    /// <summary>Creates a simulator; throws when an option is out of range.</summary>
    public BearingVibrationSimulator(BearingVibrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _random = new SimulationRandom(options.Seed);
        _dt = 1 / options.SampleRateHz;
        _nominalShaftHz = options.ShaftHz;
        _severity = options.Severity;
        _currentSeverity = options.Degradation?.SeverityAt(options.StartTimeSeconds) ?? _severity;

        var orders = options.Bearing.FaultOrders();
        _ftfOrder = orders.Ftf;
        _impactOrder = options.Fault switch
        {
            SimulatedFault.OuterRace => orders.Bpfo,
            SimulatedFault.InnerRace => orders.Bpfi,
            SimulatedFault.Ball => 2 * orders.Bsf,
            SimulatedFault.Cage => orders.Ftf,
            _ => 0,
        };

        // Two-pole resonator: impulse response r^n sin((n + 1) wd) / sin(wd); an input of A sin(wd) peaks near A.
        var wn = 2 * Math.PI * options.ResonanceHz;
        var r = Math.Exp(-options.DampingRatio * wn * _dt);
        var wd = wn * Math.Sqrt(1 - options.DampingRatio * options.DampingRatio) * _dt;
        _a1 = 2 * r * Math.Cos(wd);
        _a2 = -r * r;
        _inputGain = Math.Sin(wd);

        _driftPhase1 = 2 * Math.PI * _random.NextDouble();
        _driftPhase2 = 2 * Math.PI * _random.NextDouble();
        (_twoXSin, _twoXCos) = Math.SinCos(2 * Math.PI * _random.NextDouble());
        _shaftPhase = _random.NextDouble();
        _cagePhase = _random.NextDouble();
        _nextImpact = _random.NextDouble();
        _shaftHz = _nominalShaftHz * (1 + _options.SpeedDrift * DriftAt(0));
        _lastFillMeanShaftHz = _shaftHz;
    }

    /// <summary>The options in use.</summary>
    public BearingVibrationOptions Options => _options;

    /// <summary>Nominal shaft speed in Hz around which the speed drifts; set it to follow an operating simulator.</summary>
    public double NominalShaftHz
    {
        get => _nominalShaftHz;
        set
        {
            if (!(value > 0 && value < _options.SampleRateHz / 20))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Shaft speed must be positive and far below the sample rate.");
            }

            _nominalShaftHz = value;
        }
    }

    /// <summary>
    /// Fault severity in [0, 1] scaling the impacts (0: no impacts). Follows <see cref="BearingVibrationOptions.Degradation"/>
    /// when that is set; otherwise set it between blocks.
    /// </summary>
    public double Severity
    {
        get => _options.Degradation is { } profile ? profile.SeverityAt(TimeSeconds) : _severity;
        set
        {
            if (_options.Degradation is not null)
            {
                throw new InvalidOperationException("Severity follows the degradation profile of the options.");
            }

            _severity = Math.Clamp(value, 0, 1);
            _currentSeverity = _severity;
        }
    }

    /// <summary>Shaft speed in Hz at the last sample generated (what a speed sensor on this shaft reads now).</summary>
    public double ShaftHz => _shaftHz;

    /// <summary>Mean shaft speed in Hz over the last <see cref="Fill(Span{float})"/> call: the reading to analyse that block with.</summary>
    public double LastFillMeanShaftHz => _lastFillMeanShaftHz;

    /// <summary>Samples generated so far.</summary>
    public long SamplesGenerated => _sample;

    /// <summary>Simulator clock: start time plus samples generated over the sample rate.</summary>
    public double TimeSeconds => _options.StartTimeSeconds + _sample * _dt;

    /// <summary>Writes the next <c>block.Length</c> samples (g). Allocates nothing.</summary>
    public void Fill(Span<float> block)
    {
        double speedSum = 0;
        for (var i = 0; i < block.Length; i++)
        {
            block[i] = (float)Next();
            speedSum += _shaftHz;
        }

        if (block.Length > 0)
        {
            _lastFillMeanShaftHz = speedSum / block.Length;
        }
    }

    /// <summary>Writes the next <c>block.Length</c> samples (g) in double precision. Allocates nothing.</summary>
    public void Fill(Span<double> block)
    {
        double speedSum = 0;
        for (var i = 0; i < block.Length; i++)
        {
            block[i] = Next();
            speedSum += _shaftHz;
        }

        if (block.Length > 0)
        {
            _lastFillMeanShaftHz = speedSum / block.Length;
        }
    }

    /// <summary>Drift shape in [-1, 1]: two slow sines with seeded phases.</summary>
    private double DriftAt(long sample)
    {
        var t = sample * _dt;
        var w = 2 * Math.PI / _options.SpeedDriftPeriodSeconds;
        return 0.7 * Math.Sin(w * t + _driftPhase1) + 0.3 * Math.Sin(w / 0.37 * t + _driftPhase2);
    }

    private double Next()
    {
        var offset = _sample % GridInterval;
        if (offset == 0)
        {
            if (_options.SpeedDrift > 0)
            {
                _driftAtGrid = DriftAt(_sample);
                _driftSlope = (DriftAt(_sample + GridInterval) - _driftAtGrid) / GridInterval;
            }

            if (_options.Degradation is { } profile)
            {
                _currentSeverity = profile.SeverityAt(TimeSeconds);
            }
        }

        var speed = _nominalShaftHz * (1 + _options.SpeedDrift * (_driftAtGrid + _driftSlope * offset));
        _shaftHz = speed;
        var shaftStep = speed * _dt;
        _shaftPhase += shaftStep;
        _shaftPhase -= Math.Floor(_shaftPhase);
        _cagePhase += _ftfOrder * shaftStep;
        _cagePhase -= Math.Floor(_cagePhase);

        // Resonator input: the part of an impact carried over from the previous sample, then any impacts crossed now.
        var input = _pendingInput;
        _pendingInput = 0;
        if (_impactOrder > 0)
        {
            var step = _impactOrder * shaftStep;
            var before = _faultPhase;
            _faultPhase += step;
            while (_faultPhase >= _nextImpact)
            {
                // Fractional impact time, split linearly between this sample and the next (a one-sample delay).
                var fraction = (_nextImpact - before) / step;
                var amplitude = ImpactAmplitude() * _inputGain;
                input += (1 - fraction) * amplitude;
                _pendingInput += fraction * amplitude;
                _nextImpact += Math.Max(0.5, 1 + _options.SlipJitter * _random.NextGaussian());
            }

            // Keep the phase small so precision does not erode over days of simulated time.
            if (_faultPhase > 1 << 20)
            {
                var whole = Math.Floor(_faultPhase);
                _faultPhase -= whole;
                _nextImpact -= whole;
            }
        }

        var ring = _a1 * _y1 + _a2 * _y2 + input;
        _y2 = _y1;
        _y1 = ring;

        // Velocity v (mm/s RMS) at f is acceleration v·√2·2πf / 1000 / g in peak g.
        var w = 2 * Math.PI * speed;
        var wear = _impactOrder > 0 ? _options.WearVelocityMmPerS * _currentSeverity * _currentSeverity : 0;
        var oneXVelocity = _options.OneXVelocityMmPerS + wear;
        var oneX = oneXVelocity * Math.Sqrt(2) * w / 1000 / G;
        var twoX = _options.TwoXVelocityMmPerS * Math.Sqrt(2) * 2 * w / 1000 / G;
        // sin(2θ + φ) from sin θ and cos θ: one trigonometric call per sample.
        var (sin, cos) = Math.SinCos(2 * Math.PI * _shaftPhase);
        var sin2 = 2 * sin * cos;
        var cos2 = 1 - 2 * sin * sin;
        var shaft = oneX * sin + twoX * (sin2 * _twoXCos + cos2 * _twoXSin);
        var noise = _options.NoiseG > 0 ? _options.NoiseG * _random.NextGaussian() : 0;
        _sample++;
        return shaft + ring + noise;
    }

    private double ImpactAmplitude()
    {
        var a = _currentSeverity * _options.ImpactAmplitudeG;
        return _options.Fault switch
        {
            SimulatedFault.InnerRace => a * (1 + _options.ModulationDepth * Math.Cos(2 * Math.PI * _shaftPhase)),
            SimulatedFault.Ball => a * (1 + _options.ModulationDepth * Math.Cos(2 * Math.PI * _cagePhase)),
            _ => a,
        };
    }
}
