namespace TwinCluster.Analytics.Simulation;

/// <summary>Configuration of a <see cref="TurbineOperatingSimulator"/> (SI units, kW, rpm, °C).</summary>
public sealed record TurbineOperatingOptions
{
    /// <summary>Mean hub-height wind speed the random walk reverts to, m/s.</summary>
    public double MeanWindSpeed { get; init; } = 9;

    /// <summary>Standard deviation of the wind speed around its mean (turbulence), m/s.</summary>
    public double WindStdDev { get; init; } = 1.5;

    /// <summary>Correlation time of the wind random walk (Ornstein–Uhlenbeck), seconds.</summary>
    public double WindCorrelationSeconds { get; init; } = 60;

    /// <summary>Wind speed at which the turbine starts producing, m/s.</summary>
    public double CutInWindSpeed { get; init; } = 3;

    /// <summary>Wind speed at which rated power is reached, m/s.</summary>
    public double RatedWindSpeed { get; init; } = 12;

    /// <summary>Wind speed above which the turbine parks, m/s.</summary>
    public double CutOutWindSpeed { get; init; } = 25;

    /// <summary>Rated electrical power, kW.</summary>
    public double RatedPowerKw { get; init; } = 3000;

    /// <summary>Rotor speed at cut-in, rpm.</summary>
    public double MinRotorRpm { get; init; } = 6;

    /// <summary>Rotor speed at and above rated wind, rpm.</summary>
    public double RatedRotorRpm { get; init; } = 15;

    /// <summary>Time constant of the rotor speed following its set point (inertia), seconds.</summary>
    public double RotorTimeConstantSeconds { get; init; } = 8;

    /// <summary>Gearbox ratio: generator speed over rotor speed.</summary>
    public double GearRatio { get; init; } = 100;

    /// <summary>Ambient (nacelle) temperature, °C.</summary>
    public double AmbientC { get; init; } = 15;

    /// <summary>Main-bearing temperature rise over ambient at rated power, K.</summary>
    public double BearingRiseAtRatedK { get; init; } = 25;

    /// <summary>Extra main-bearing temperature rise at fault severity 1 (friction of a damaged bearing), K.</summary>
    public double BearingRiseAtFailureK { get; init; } = 20;

    /// <summary>Thermal time constant of the bearing, seconds.</summary>
    public double BearingTimeConstantSeconds { get; init; } = 900;

    /// <summary>Gearbox oil temperature rise over ambient at rated power, K.</summary>
    public double OilRiseAtRatedK { get; init; } = 40;

    /// <summary>Extra oil temperature rise at fault severity 1, K.</summary>
    public double OilRiseAtFailureK { get; init; } = 8;

    /// <summary>Thermal time constant of the gearbox oil, seconds.</summary>
    public double OilTimeConstantSeconds { get; init; } = 1800;

    /// <summary>Standard deviation of the measurement noise on the temperature channels, K.</summary>
    public double TemperatureNoiseK { get; init; } = 0.1;

    /// <summary>Seed: the same options, seed and steps give the same channels.</summary>
    public long Seed { get; init; }

    /// <summary>Throws when an option is out of range.</summary>
    public void Validate()
    {
        if (!(CutInWindSpeed > 0 && CutInWindSpeed < RatedWindSpeed && RatedWindSpeed < CutOutWindSpeed))
        {
            throw new ArgumentException($"{nameof(TurbineOperatingOptions)} needs 0 < CutInWindSpeed < RatedWindSpeed < CutOutWindSpeed.");
        }

        if (!(MinRotorRpm > 0 && MinRotorRpm <= RatedRotorRpm && RatedPowerKw > 0 && GearRatio > 0))
        {
            throw new ArgumentException($"{nameof(TurbineOperatingOptions)} needs 0 < MinRotorRpm <= RatedRotorRpm and positive RatedPowerKw and GearRatio.");
        }

        if (!(MeanWindSpeed >= 0 && WindStdDev >= 0 && WindCorrelationSeconds > 0 && RotorTimeConstantSeconds > 0
              && BearingTimeConstantSeconds > 0 && OilTimeConstantSeconds > 0 && TemperatureNoiseK >= 0))
        {
            throw new ArgumentException($"{nameof(TurbineOperatingOptions)} needs non-negative wind and noise levels and positive time constants.");
        }
    }
}
