namespace TwinCluster.Analytics.Simulation;

/// <summary>
/// Scalar channels of one wind turbine: an Ornstein–Uhlenbeck wind speed through a cubic power curve and a variable-speed
/// rotor schedule, and first-order thermal models whose targets rise with load and with bearing fault severity.
/// Deterministic for a seed and a sequence of steps. Not thread-safe.
/// </summary>
public sealed class TurbineOperatingSimulator
{
    private readonly TurbineOperatingOptions _options;
    private readonly SimulationRandom _random;
    private double _time;
    private double _wind;
    private double _rotorRpm;
    private double _bearingC;
    private double _oilC;

    /// <summary>Creates a simulator starting at the mean wind, rotor on its schedule, temperatures at their steady state.</summary>
    public TurbineOperatingSimulator(TurbineOperatingOptions? options = null)
    {
        _options = options ?? new TurbineOperatingOptions();
        _options.Validate();
        _random = new SimulationRandom(_options.Seed);
        _wind = _options.MeanWindSpeed;
        _rotorRpm = RotorSetPoint(_wind);
        var load = PowerCurve(_wind) / _options.RatedPowerKw;
        _bearingC = _options.AmbientC + _options.BearingRiseAtRatedK * load;
        _oilC = _options.AmbientC + _options.OilRiseAtRatedK * load;
        Current = Reading();
    }

    /// <summary>The options in use.</summary>
    public TurbineOperatingOptions Options => _options;

    /// <summary>The latest reading.</summary>
    public TurbineState Current { get; private set; }

    /// <summary>Electrical power (kW) at a steady wind speed: cubic between cut-in and rated, rated up to cut-out, else 0.</summary>
    public double PowerCurve(double windSpeed)
    {
        var o = _options;
        if (windSpeed < o.CutInWindSpeed || windSpeed >= o.CutOutWindSpeed)
        {
            return 0;
        }

        if (windSpeed >= o.RatedWindSpeed)
        {
            return o.RatedPowerKw;
        }

        var cin = o.CutInWindSpeed * o.CutInWindSpeed * o.CutInWindSpeed;
        var rated = o.RatedWindSpeed * o.RatedWindSpeed * o.RatedWindSpeed;
        return o.RatedPowerKw * (windSpeed * windSpeed * windSpeed - cin) / (rated - cin);
    }

    /// <summary>Rotor speed set point (rpm): linear in wind between cut-in and rated (constant tip-speed ratio), parked outside.</summary>
    public double RotorSetPoint(double windSpeed)
    {
        var o = _options;
        if (windSpeed < o.CutInWindSpeed || windSpeed >= o.CutOutWindSpeed)
        {
            return 0;
        }

        var x = Math.Min(1, (windSpeed - o.CutInWindSpeed) / (o.RatedWindSpeed - o.CutInWindSpeed));
        return o.MinRotorRpm + x * (o.RatedRotorRpm - o.MinRotorRpm);
    }

    /// <summary>Advances by <paramref name="dtSeconds"/> with the main bearing at <paramref name="bearingSeverity"/> in [0, 1].</summary>
    public TurbineState Step(double dtSeconds, double bearingSeverity = 0)
    {
        if (!(dtSeconds > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(dtSeconds), dtSeconds, "The step must be positive.");
        }

        var o = _options;
        var severity = Math.Clamp(bearingSeverity, 0, 1);

        // Exact discretisation of the OU process: any step size gives the same statistics.
        var decay = Math.Exp(-dtSeconds / o.WindCorrelationSeconds);
        _wind = Math.Max(0, o.MeanWindSpeed + (_wind - o.MeanWindSpeed) * decay
            + o.WindStdDev * Math.Sqrt(1 - decay * decay) * _random.NextGaussian());

        _rotorRpm += (RotorSetPoint(_wind) - _rotorRpm) * (1 - Math.Exp(-dtSeconds / o.RotorTimeConstantSeconds));

        // Power follows the rotor: zero while it spins up or down between parked and cut-in speed.
        var power = _rotorRpm >= 0.5 * o.MinRotorRpm ? PowerCurve(_wind) : 0;
        var load = power / o.RatedPowerKw;
        var bearingTarget = o.AmbientC + o.BearingRiseAtRatedK * load + o.BearingRiseAtFailureK * severity * severity;
        var oilTarget = o.AmbientC + o.OilRiseAtRatedK * load + o.OilRiseAtFailureK * severity * severity;
        _bearingC += (bearingTarget - _bearingC) * (1 - Math.Exp(-dtSeconds / o.BearingTimeConstantSeconds));
        _oilC += (oilTarget - _oilC) * (1 - Math.Exp(-dtSeconds / o.OilTimeConstantSeconds));
        _time += dtSeconds;
        Current = Reading(power);
        return Current;
    }

    private TurbineState Reading(double? power = null)
    {
        var p = power ?? PowerCurve(_wind);
        var noise = _options.TemperatureNoiseK;
        var bearing = _bearingC + (noise > 0 ? noise * _random.NextGaussian() : 0);
        var oil = _oilC + (noise > 0 ? noise * _random.NextGaussian() : 0);
        return new TurbineState(_time, _wind, _rotorRpm, _rotorRpm * _options.GearRatio, p, bearing, oil);
    }
}
