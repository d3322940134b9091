namespace TwinCluster.Analytics.Simulation;

/// <summary>One reading of a turbine's scalar channels.</summary>
/// <param name="TimeSeconds">Simulator clock.</param>
/// <param name="WindSpeed">Hub-height wind speed, m/s.</param>
/// <param name="RotorRpm">Rotor (main shaft) speed, rpm.</param>
/// <param name="GeneratorRpm">Generator (high-speed shaft) speed, rpm.</param>
/// <param name="PowerKw">Electrical power, kW.</param>
/// <param name="MainBearingC">Main-bearing temperature, °C.</param>
/// <param name="GearboxOilC">Gearbox oil temperature, °C.</param>
public readonly record struct TurbineState(
    double TimeSeconds, double WindSpeed, double RotorRpm, double GeneratorRpm, double PowerKw, double MainBearingC, double GearboxOilC);
