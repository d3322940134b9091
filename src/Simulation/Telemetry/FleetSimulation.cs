using System.Collections.Immutable;
using TwinCluster.Analytics;
using TwinCluster.Analytics.Simulation;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Simulation.Telemetry;

/// <summary>
/// Telemetry for a fleet of wind-farm twins, one message per twin per tick, with the channel names and units of the
/// models in <c>models/dtmi/twincluster/windfarm</c>. Components share their turbine's operating state (wind, rotor
/// and generator speed, power); bearings, gearboxes and generators carry a block of vibration samples; chosen twins
/// get a defect whose severity grows over the simulated clock. Each twin has its own seq counter. Samples are
/// deterministic for a seed; timestamps are the clock's now. Not thread-safe.
/// </summary>
public sealed class FleetSimulation
{
    /// <summary>DTMI of the wind-farm model.</summary>
    public const string WindFarmModel = "dtmi:twincluster:windfarm:WindFarm;1";

    /// <summary>DTMI of the turbine model.</summary>
    public const string TurbineModel = "dtmi:twincluster:windfarm:Turbine;1";

    /// <summary>DTMI of the bearing model.</summary>
    public const string BearingModel = "dtmi:twincluster:windfarm:Bearing;1";

    /// <summary>DTMI of the main-bearing model.</summary>
    public const string MainBearingModel = "dtmi:twincluster:windfarm:MainBearing;1";

    /// <summary>DTMI of the gearbox model.</summary>
    public const string GearboxModel = "dtmi:twincluster:windfarm:Gearbox;1";

    /// <summary>DTMI of the generator model.</summary>
    public const string GeneratorModel = "dtmi:twincluster:windfarm:Generator;1";

    /// <summary>DTMI of the blade model.</summary>
    public const string BladeModel = "dtmi:twincluster:windfarm:Blade;1";

    /// <summary>DTMI of the tower model.</summary>
    public const string TowerModel = "dtmi:twincluster:windfarm:Tower;1";

    // Slowest shaft the vibration simulator is driven at: a parked rotor still "turns" this slowly.
    private const double MinShaftHz = 0.02;

    // Most samples in a block after a sample-rate change (the ingress's default limit per channel).
    private const int MaxBlockSamples = 65_536;

    private readonly FleetSimulationOptions _options;
    private readonly List<Group> _groups = [];
    private readonly List<Unit> _units = [];
    private readonly Dictionary<string, Unit> _byId = new(StringComparer.Ordinal);
    private readonly double _dt;
    private DateTimeOffset? _epoch;
    private long _epochTick;
    private long _ticks;

    /// <summary>What operators told the turbines (stop, power cap); the devices' command handling sets it, each tick reads it.</summary>
    public DeviceControls Controls { get; } = new();

    /// <summary>Creates the simulation; twins whose model it does not simulate are listed in <see cref="Skipped"/>.</summary>
    public FleetSimulation(IEnumerable<SimulatedTwin> twins, FleetSimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(twins);
        _options = options ?? new FleetSimulationOptions();
        _options.Validate();
        _dt = 1 / _options.TickRateHz;
        var all = new Dictionary<string, SimulatedTwin>(StringComparer.Ordinal);
        var order = new List<SimulatedTwin>();
        foreach (var twin in twins)
        {
            ArgumentNullException.ThrowIfNull(twin);
            if (all.TryAdd(twin.TwinId.Value, twin))
            {
                order.Add(twin);
            }
        }

        foreach (var id in _options.Faults.Keys)
        {
            if (!all.ContainsKey(id))
            {
                throw new ArgumentException($"fault given for '{id}', which is not one of the simulated twins");
            }
        }

        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        var skipped = ImmutableArray.CreateBuilder<SimulatedTwin>();
        foreach (var twin in order)
        {
            var kind = KindOf(twin.ModelId);
            if (kind is null)
            {
                skipped.Add(twin);
                continue;
            }

            var groupId = TurbineOf(twin, all);
            if (!groups.TryGetValue(groupId, out var group))
            {
                group = new Group(groupId, _options.Turbine with { Seed = Mix(_options.Seed, groupId, "turbine") }, Mix(_options.Seed, groupId, "group"), Controls);
                groups.Add(groupId, group);
                _groups.Add(group);
            }

            var unit = new Unit(twin, kind.Value, group, _options, ShaftOf(twin, kind.Value, all));
            if (_options.Faults.TryGetValue(twin.TwinId.Value, out var fault))
            {
                if (!unit.HasVibration)
                {
                    throw new ArgumentException($"fault given for '{twin.TwinId.Value}' ({twin.ModelId}), which has no vibration channel to show it");
                }

                unit.Fault = fault;
            }

            unit.CreateVibration(_options, Mix(_options.Seed, twin.TwinId.Value, "vibration"));
            _units.Add(unit);
            _byId.Add(twin.TwinId.Value, unit);
            group.Units.Add(unit);
        }

        foreach (var unit in _units.Where(u => u.Kind == Kind.WindFarm))
        {
            // A farm reports the sum of the turbines under it that are simulated too.
            unit.FarmTurbines.AddRange(_groups.Where(g => g.Id != unit.Group.Id && IsUnder(g.Id, unit.Twin.TwinId.Value, all)));
        }

        Twins = [.. _units.Select(u => u.Twin)];
        DeviceTwins = [.. _units.Where(u => u.Kind is Kind.Turbine or Kind.Bearing or Kind.MainBearing).Select(u => u.Twin.TwinId)];
        Skipped = skipped.ToImmutable();
    }

    /// <summary>The twins simulated, in the order given.</summary>
    public ImmutableArray<SimulatedTwin> Twins { get; }

    /// <summary>
    /// The twins whose simulated devices take the way down (<see cref="SimulatedDeviceBehaviour"/>): turbines (stop,
    /// start, curtail, <c>maxPowerKW</c>) and bearings (<c>vibrationSampleRateHz</c>).
    /// </summary>
    public ImmutableArray<TwinId> DeviceTwins { get; }

    /// <summary>The twins given whose model is not simulated (e.g. plain components).</summary>
    public ImmutableArray<SimulatedTwin> Skipped { get; }

    /// <summary>The settings in use.</summary>
    public FleetSimulationOptions Options => _options;

    /// <summary>Ticks generated so far.</summary>
    public long Ticks => _ticks;

    /// <summary>Simulated seconds elapsed: ticks over <see cref="FleetSimulationOptions.TickRateHz"/>.</summary>
    public double ElapsedSeconds => _ticks * _dt;

    /// <summary>The seq the next message of <paramref name="twinId"/> will carry.</summary>
    public long NextSeq(string twinId) => Get(twinId).NextSeq;

    /// <summary>The defect severity in [0, 1] of <paramref name="twinId"/> at the last tick (0 for healthy twins).</summary>
    public double Severity(string twinId) => Get(twinId).Severity;

    /// <summary>The defect frequencies of the vibration channel of <paramref name="twinId"/> at the shaft speed of the last tick.</summary>
    public FaultFrequencies? FaultFrequencies(string twinId) =>
        Get(twinId).Vibration is { } vibration ? vibration.Options.Bearing.FaultFrequencies(vibration.LastFillMeanShaftHz) : null;

    /// <summary>Advances the clock by one tick and returns one message per simulated twin, in <see cref="Twins"/> order.</summary>
    public ImmutableArray<TelemetryMessage> NextTick()
    {
        var time = ElapsedSeconds + _dt;
        foreach (var unit in _units)
        {
            unit.Severity = unit.Fault == SimulatedFault.None ? 0 : unit.Profile(_options).SeverityAt(time);
        }

        foreach (var group in _groups)
        {
            group.Step(_dt);
        }

        // Timestamps run on the sample clock (tick × period from a wall-clock epoch), so consecutive blocks are
        // contiguous to the sample and analysis can join them; the epoch is reset when the sample clock and the wall
        // clock drift more than a second apart (a stalled or unpaced publisher), which is then a real gap.
        var now = _options.TimeProvider.GetUtcNow();
        var stamp = _epoch is { } epoch ? epoch.AddTicks((long)Math.Round((_ticks - _epochTick) * _dt * TimeSpan.TicksPerSecond)) : now;
        if (_epoch is null || (stamp - now).Duration() > TimeSpan.FromSeconds(1))
        {
            _epoch = now;
            _epochTick = _ticks;
            stamp = now;
        }

        var messages = ImmutableArray.CreateBuilder<TelemetryMessage>(_units.Count);
        foreach (var unit in _units)
        {
            messages.Add(unit.Next(_dt, _options, stamp));
        }

        _ticks++;
        return messages.MoveToImmutable();
    }

    private Unit Get(string twinId) =>
        _byId.TryGetValue(twinId, out var unit) ? unit : throw new ArgumentException($"'{twinId}' is not a simulated twin", nameof(twinId));

    private static Kind? KindOf(string modelId) => modelId switch
    {
        WindFarmModel => Kind.WindFarm,
        TurbineModel => Kind.Turbine,
        BearingModel => Kind.Bearing,
        MainBearingModel => Kind.MainBearing,
        GearboxModel => Kind.Gearbox,
        GeneratorModel => Kind.Generator,
        BladeModel => Kind.Blade,
        TowerModel => Kind.Tower,
        _ => null,
    };

    // The nearest simulated turbine at or above the twin; otherwise the twin runs its own operating state.
    private static string TurbineOf(SimulatedTwin twin, Dictionary<string, SimulatedTwin> all)
    {
        var current = twin;
        for (var depth = 0; depth < 64 && current is not null; depth++)
        {
            if (current.ModelId == TurbineModel)
            {
                return current.TwinId.Value;
            }

            current = current.ParentId is { } parent && all.TryGetValue(parent, out var next) ? next : null;
        }

        return twin.TwinId.Value;
    }

    private static bool IsUnder(string id, string ancestor, Dictionary<string, SimulatedTwin> all)
    {
        var current = all.GetValueOrDefault(id);
        for (var depth = 0; depth < 64 && current?.ParentId is { } parent; depth++)
        {
            if (parent == ancestor)
            {
                return true;
            }

            current = all.GetValueOrDefault(parent);
        }

        return false;
    }

    // A main bearing (or any bearing straight under a turbine) turns with the rotor; the others with the generator.
    private static Shaft ShaftOf(SimulatedTwin twin, Kind kind, Dictionary<string, SimulatedTwin> all) => kind switch
    {
        Kind.MainBearing => Shaft.Rotor,
        Kind.Bearing when twin.ParentId is { } parent && all.TryGetValue(parent, out var p) && p.ModelId == TurbineModel => Shaft.Rotor,
        _ => Shaft.Generator,
    };

    private static long Mix(long seed, string id, string purpose)
    {
        // FNV-1a over the id and purpose: stable across runs and platforms (string.GetHashCode is not).
        var hash = 14695981039346656037UL ^ unchecked((ulong)seed);
        foreach (var c in id + "\u0001" + purpose)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }

        return unchecked((long)hash);
    }

    private enum Kind
    {
        WindFarm,
        Turbine,
        Bearing,
        MainBearing,
        Gearbox,
        Generator,
        Blade,
        Tower,
    }

    private enum Shaft
    {
        Rotor,
        Generator,
    }

    /// <summary>One turbine's operating state, shared by its components.</summary>
    private sealed class Group(string id, TurbineOperatingOptions options, long seed, DeviceControls controls)
    {
        private readonly Random _random = new(unchecked((int)seed ^ (int)(seed >> 32)));
        private double _windDirection = -1;
        private double _spin = 1;   // 1 running, falls towards 0 after a stop command

        public string Id { get; } = id;

        public TurbineOperatingSimulator Operating { get; } = new(options);

        public DeviceControls Controls => controls;

        public List<Unit> Units { get; } = [];

        public TurbineState State { get; private set; }

        public double WindDirection => _windDirection;

        public Random Random => _random;

        public double Load => State.PowerKw / Operating.Options.RatedPowerKw;

        public void Step(double dt)
        {
            // The turbine's bearing temperature and oil follow its worst defect.
            var severity = 0.0;
            foreach (var unit in Units)
            {
                severity = Math.Max(severity, unit.Severity);
            }

            var state = Operating.Step(dt, severity);
            // An operator's stop spins the rotor down (power with the cube of speed); a cap limits the power.
            _spin += ((controls.IsStopped(Id) ? 0 : 1) - _spin) * (1 - Math.Exp(-dt / controls.SpinTimeConstantSeconds));
            if (_spin < 0.999)
            {
                state = state with { RotorRpm = state.RotorRpm * _spin, GeneratorRpm = state.GeneratorRpm * _spin, PowerKw = state.PowerKw * _spin * _spin * _spin };
            }

            if (controls.PowerLimit(Id) is { } cap && state.PowerKw > cap)
            {
                state = state with { PowerKw = cap };
            }

            State = state;
            _windDirection = _windDirection < 0
                ? 360 * _random.NextDouble()
                : Wrap(_windDirection + 2 * Math.Sqrt(dt) * Gaussian(_random));
        }

        public static double Gaussian(Random random)
        {
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        private static double Wrap(double degrees) => ((degrees % 360) + 360) % 360;
    }

    /// <summary>One twin: its channels and the state behind them.</summary>
    private sealed class Unit(SimulatedTwin twin, Kind kind, Group group, FleetSimulationOptions options, Shaft shaft)
    {
        private double[] _block = new double[options.BlockSize];
        private DegradationProfile? _profile;
        private double _startRate;
        private long _vibrationSeed;
        private double _temperature = double.NaN;
        private double _secondTemperature = double.NaN;

        public SimulatedTwin Twin { get; } = twin;

        public Kind Kind { get; } = kind;

        public Group Group { get; } = group;

        public long NextSeq { get; private set; } = options.ResumeSeq.TryGetValue(twin.TwinId.Value, out var resume) ? resume : options.SeqStart;

        public SimulatedFault Fault { get; set; } = SimulatedFault.None;

        public double Severity { get; set; }

        public BearingVibrationSimulator? Vibration { get; private set; }

        public bool HasVibration => Kind is Kind.Bearing or Kind.MainBearing or Kind.Gearbox or Kind.Generator;

        public List<Group> FarmTurbines { get; } = [];

        // An operator's rate (a desired vibrationSampleRateHz the device accepted) wins over the simulation's settings.
        private double SampleRate => Group.Controls.SampleRate(Twin.TwinId.Value)
            ?? options.SampleRateHz
            ?? (Kind is Kind.Bearing or Kind.MainBearing ? Twin.VibrationSampleRateHz : null)
            ?? options.DefaultSampleRateHz;

        public DegradationProfile Profile(FleetSimulationOptions o) =>
            _profile ??= new DegradationProfile(o.FaultOnsetSeconds, o.FaultOnsetSeconds + o.FaultDurationSeconds, o.FaultOnsetSeverity);

        public void CreateVibration(FleetSimulationOptions o, long seed)
        {
            if (!HasVibration)
            {
                return;
            }

            _vibrationSeed = seed;
            _startRate = SampleRate;
            StartVibration(_startRate);
        }

        // A new rate restarts the simulated sensor; a block keeps the duration it had at the starting rate, so blocks
        // sent back to back stay contiguous (and a paced capture keeps its length in time).
        private void StartVibration(double fs)
        {
            var length = Math.Clamp((int)Math.Round(options.BlockSize * fs / _startRate), 1, MaxBlockSamples);
            if (_block.Length != length)
            {
                _block = new double[length];
            }

            Group.Controls.NoteSampleRateInUse(Twin.TwinId.Value, fs);
            Vibration = new BearingVibrationSimulator(new BearingVibrationOptions
            {
                SampleRateHz = fs,
                Bearing = Twin.Bearing ?? FleetSimulationOptions.DefaultBearing,
                ShaftHz = ClampShaft(NominalShaftHz(Group.Operating.Current), fs),
                Fault = Fault,
                ResonanceHz = Math.Min(3000, 0.3 * fs),
                // A sensor's noise floor is a density: the default 0.1 g RMS is over 25.6 kHz, so a slower channel
                // carries proportionally less (else 1 kHz noise alone reads as 2 mm/s of velocity, zone B).
                NoiseG = 0.1 * Math.Sqrt(Math.Min(1, fs / 25_600)),
                Seed = _vibrationSeed,
            });
        }

        public TelemetryMessage Next(double dt, FleetSimulationOptions o, DateTimeOffset timestamp)
        {
            var state = Group.State;
            var random = Group.Random;
            var ambient = Group.Operating.Options.AmbientC;
            var channels = ImmutableArray.CreateBuilder<TelemetryChannel>();
            double? fs = null;
            switch (Kind)
            {
                case Kind.WindFarm:
                    var powerKw = FarmTurbines.Count > 0 ? FarmTurbines.Sum(g => g.State.PowerKw) : state.PowerKw;
                    channels.Add(Scalar("power", powerKw / 1000, "megawatt"));
                    break;
                case Kind.Turbine:
                    channels.Add(Scalar("rotorSpeed", state.RotorRpm, "revolutionPerMinute"));
                    channels.Add(Scalar("power", state.PowerKw, "kilowatt"));
                    channels.Add(Scalar("windSpeed", state.WindSpeed, "metrePerSecond"));
                    channels.Add(Scalar("windDirection", Group.WindDirection, "degreeOfArc"));
                    channels.Add(Scalar("ambientTemperature", ambient + 0.1 * Group.Gaussian(random), "degreeCelsius"));
                    break;
                case Kind.Bearing or Kind.MainBearing:
                    fs = FillBlock(state);
                    channels.Add(Block("vibration", "gForce"));
                    channels.Add(Scalar("temperature", Thermal(ref _temperature, ambient, shaft == Shaft.Rotor ? 25 : 35, 900, dt, random), "degreeCelsius"));
                    channels.Add(Scalar("shaftSpeed", Vibration!.LastFillMeanShaftHz * 60, "revolutionPerMinute"));
                    break;
                case Kind.Gearbox:
                    fs = FillBlock(state);
                    channels.Add(Scalar("oilTemperature", state.GearboxOilC, "degreeCelsius"));
                    var rotorShare = state.RotorRpm / Group.Operating.Options.RatedRotorRpm;
                    channels.Add(Scalar("oilPressure", 1.5 + 1.5 * Math.Clamp(rotorShare, 0, 1.2) + 0.02 * Group.Gaussian(random), "bar"));
                    channels.Add(Block("vibration", "gForce"));
                    channels.Add(Scalar("outputSpeed", state.GeneratorRpm, "revolutionPerMinute"));
                    break;
                case Kind.Generator:
                    fs = FillBlock(state);
                    channels.Add(Scalar("windingTemperature", Thermal(ref _secondTemperature, ambient, 70, 600, dt, random), "degreeCelsius"));
                    channels.Add(Block("bearingVibration", "gForce"));
                    channels.Add(Scalar("bearingTemperature", Thermal(ref _temperature, ambient, 35, 900, dt, random), "degreeCelsius"));
                    channels.Add(Scalar("speed", state.GeneratorRpm, "revolutionPerMinute"));
                    channels.Add(Scalar("activePower", state.PowerKw, "kilowatt"));
                    break;
                case Kind.Blade:
                    channels.Add(Scalar("pitchAngle", Pitch(state) + 0.1 * Group.Gaussian(random), "degreeOfArc"));
                    channels.Add(Scalar("rootBendingMoment", BendingMoment(state) * (1 + 0.03 * Group.Gaussian(random)), "newtonMetre"));
                    break;
                case Kind.Tower:
                    var level = 0.02 + 0.08 * Math.Pow(state.WindSpeed / Group.Operating.Options.RatedWindSpeed, 2);
                    channels.Add(Scalar("nacelleAccelerationForeAft", level * Group.Gaussian(random), "metrePerSecondSquared"));
                    channels.Add(Scalar("nacelleAccelerationSideSide", 0.5 * level * Group.Gaussian(random), "metrePerSecondSquared"));
                    break;
                default:
                    throw new InvalidOperationException($"no channels for {Kind}");
            }

            return new TelemetryMessage(Twin.TwinId, NextSeq++, timestamp, fs, channels.ToImmutable(), o.Format);

            TelemetryChannel Block(string name, string unit) => new(name, _block, unit);
        }

        private double FillBlock(TurbineState state)
        {
            if (SampleRate != Vibration!.Options.SampleRateHz)
            {
                StartVibration(SampleRate);
            }

            var vibration = Vibration!;
            vibration.NominalShaftHz = ClampShaft(NominalShaftHz(state), vibration.Options.SampleRateHz);
            if (Fault != SimulatedFault.None)
            {
                vibration.Severity = Severity;
            }

            vibration.Fill(_block.AsSpan());
            return vibration.Options.SampleRateHz;
        }

        private double NominalShaftHz(TurbineState state) => (shaft == Shaft.Rotor ? state.RotorRpm : state.GeneratorRpm) / 60;

        private static double ClampShaft(double hz, double fs) => Math.Clamp(hz, MinShaftHz, 0.9 * fs / 20);

        // First-order thermal model: starts at its steady state, then follows load and the defect.
        private double Thermal(ref double temperature, double ambient, double riseAtRatedK, double timeConstantSeconds, double dt, Random random)
        {
            var target = ambient + riseAtRatedK * Math.Max(0, Group.Load) + 20 * Severity * Severity;
            temperature = double.IsNaN(temperature) ? target : temperature + (target - temperature) * (1 - Math.Exp(-dt / timeConstantSeconds));
            return temperature + 0.1 * Group.Gaussian(random);
        }

        // Pitch control: fine pitch below rated wind, pitching out above it, feathered when parked.
        private double Pitch(TurbineState state)
        {
            var o = Group.Operating.Options;
            if (state.WindSpeed < o.CutInWindSpeed || state.WindSpeed >= o.CutOutWindSpeed)
            {
                return 85;
            }

            return state.WindSpeed <= o.RatedWindSpeed ? 0 : Math.Min(30, 2.2 * (state.WindSpeed - o.RatedWindSpeed));
        }

        // Flapwise root moment grows with thrust: with wind squared up to rated, falling as the blade pitches out.
        private double BendingMoment(TurbineState state)
        {
            var o = Group.Operating.Options;
            var ratio = state.WindSpeed / o.RatedWindSpeed;
            if (state.WindSpeed < o.CutInWindSpeed || state.WindSpeed >= o.CutOutWindSpeed)
            {
                return 0.3e6 * ratio * ratio;
            }

            return ratio <= 1 ? 4e6 * ratio * ratio : 4e6 / ratio;
        }

        private static TelemetryChannel Scalar(string name, double value, string unit) => new(name, [value], unit, isScalar: true);
    }
}
