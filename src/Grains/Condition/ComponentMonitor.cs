using System.Collections.Immutable;
using System.Text.Json;
using TwinCluster.Analytics;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Condition;

/// <summary>
/// Condition monitoring of one component twin: rolling windows per vibration channel (for a main bearing on a slow
/// shaft, a demodulated, order-tracked record instead: see <see cref="ConditionOptions.SlowShaftWindowSeconds"/>),
/// analysis of each full window, a smoothed health index with diagnosis and evidence, alert states with hysteresis,
/// and remaining life from the health history. Plain and single-threaded: the twin owns one and calls it from its telemetry apply path.
/// </summary>
public sealed class ComponentMonitor
{
    private readonly ConditionOptions _options;
    private readonly VibrationAnalyzerOptions _analyzerOptions;
    private readonly Dictionary<string, VibrationChannel> _channels = new(StringComparer.Ordinal);
    private readonly HealthHistory _history;
    private readonly double _gapTicks;
    private ComponentCondition? _condition;
    private ComponentCondition? _reported;
    private AlertState _reportedAlert;
    private DateTime _alertChangedAt;
    private RemainingLife? _rul;
    private long _windows;

    /// <summary>
    /// Creates a monitor for a component of <paramref name="kind"/> (severity zones) with the twin's properties
    /// (bearing geometry from <c>balls</c>, <c>ballDiameterMm</c>, <c>pitchDiameterMm</c>, <c>contactAngleDeg</c> when
    /// all are present and physical; <c>vibrationSampleRateHz</c>, used when a record carries no rate).
    /// </summary>
    public ComponentMonitor(ComponentKind kind, string? propertiesJson, ConditionOptions? options = null)
    {
        _options = options ?? new ConditionOptions();
        _options.Validate();
        Kind = kind;
        (Bearing, PropertySampleRateHz) = ReadProperties(propertiesJson);
        _analyzerOptions = new VibrationAnalyzerOptions { SampleRateHz = 1, Component = kind, Bearing = Bearing, Overlap = 0.5 };
        _history = new HealthHistory(_options);
        _gapTicks = _options.GapTolerance is { } gap ? gap.Ticks : double.PositiveInfinity;
    }

    /// <summary>The component kind whose severity zones apply.</summary>
    public ComponentKind Kind { get; }

    /// <summary>Bearing geometry from the properties; null skips bearing diagnosis.</summary>
    public BearingGeometry? Bearing { get; }

    /// <summary>The <c>vibrationSampleRateHz</c> property, when set.</summary>
    public double? PropertySampleRateHz { get; }

    /// <summary>The options in use.</summary>
    public ConditionOptions Options => _options;

    /// <summary>The condition after the latest analysed window; null before the first.</summary>
    public ComponentCondition? Condition => _condition;

    /// <summary>The current alert state.</summary>
    public AlertState Alert => _condition?.Alert ?? AlertState.Normal;

    /// <summary>Latest shaft speed reading in Hz.</summary>
    public double? ShaftHz { get; private set; }

    /// <summary>
    /// Called after every analysed window with the channel, the window's own result and the component's condition after
    /// it (the history keeps these); null by default.
    /// </summary>
    public Action<string, AnalysisResult, ComponentCondition>? WindowAnalysed { get; set; }

    /// <summary>What the dashboard shows of the latest windows (spectra, trend, waterfall); in memory only.</summary>
    public ConditionTrace Trace { get; } = new();

    /// <summary>The latest analysis for display; null before the first window.</summary>
    public ConditionView? View(string twinId) =>
        Trace.View(twinId, _condition, _options, _analyzerOptions.Zones ?? SeverityZones.For(Kind), _analyzerOptions.Harmonics);

    /// <summary>Windows analysed (carried over a restore).</summary>
    public long WindowsAnalysed => _windows;

    /// <summary>Full windows not analysed because no shaft speed was known or the shaft was stopped.</summary>
    public long WindowsSkipped { get; private set; }

    /// <summary>Windows restarted because of a timestamp gap, a sample-rate change or unusable samples.</summary>
    public long Restarts { get; private set; }

    /// <summary>
    /// Takes one record (in seq order): reads the shaft speed, appends each block channel to its window, analyses every
    /// window that fills. True when the condition changed materially: health moved by more than
    /// <see cref="ConditionOptions.HealthStep"/> since the last such report, or diagnosis, zone, alert or RUL availability changed.
    /// </summary>
    public bool Offer(TelemetryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ReadSpeed(record.Channels);
        var rate = record.SampleRateHz ?? PropertySampleRateHz;
        var ticks = record.TimestampUtc.Ticks;
        var changed = false;
        foreach (var value in record.Channels)
        {
            // A waveform is a block of samples; the binary format sends single readings (temperature, speed) as
            // one-sample blocks, which are not vibration.
            if (value.Samples is { Length: >= MinWaveformSamples } samples && !IsSpeedChannel(value.Name)
                && ChannelFor(value.Name, rate) is { } channel)
            {
                changed |= Append(channel, samples, ticks);
            }
        }

        return changed;
    }

    /// <summary>
    /// The alert change since the last call, once: Normal → Warning → Alarm and back, each reported when it happens and
    /// never again while the state holds. Changes between two calls are folded into one (none if the state came back).
    /// </summary>
    public AlertTransition? TakeTransition()
    {
        if (_condition is null || _condition.Alert == _reportedAlert)
        {
            return null;
        }

        var transition = new AlertTransition(_reportedAlert, _condition.Alert, _alertChangedAt, _condition);
        _reportedAlert = _condition.Alert;
        return transition;
    }

    /// <summary>What to persist: condition, reported alert state and health history (not the sample buffers).</summary>
    public ConditionCheckpoint Snapshot() => new(_condition, _reportedAlert, _history.ToImmutable());

    /// <summary>Continues from a checkpoint: windows start afresh, the condition, alert state and history carry on.</summary>
    public void Restore(ConditionCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        _condition = checkpoint.Condition;
        _reported = checkpoint.Condition;
        _reportedAlert = checkpoint.ReportedAlert;
        _alertChangedAt = checkpoint.Condition?.LastAnalysisUtc ?? default;
        _rul = checkpoint.Condition?.Rul;
        _windows = checkpoint.Condition?.WindowsAnalysed ?? 0;
        _history.Load(checkpoint.History);
        foreach (var channel in _channels.Values)
        {
            channel.Reset();
        }
    }

    private bool Append(VibrationChannel channel, float[] samples, long ticks)
    {
        if (!AllFinite(samples))
        {
            channel.Restart();
            channel.ExpectedTicks = double.NaN;
            Restarts++;
            return false;
        }

        if (!double.IsNaN(channel.ExpectedTicks) && Math.Abs(ticks - channel.ExpectedTicks) > _gapTicks)
        {
            // Discontinuous signal: never glue the two sides into one window.
            channel.Restart();
            Restarts++;
        }

        var ticksPerSample = TimeSpan.TicksPerSecond / channel.SampleRateHz;
        channel.ExpectedTicks = ticks + samples.Length * ticksPerSample;
        var changed = false;
        var offset = 0;
        while (offset < samples.Length)
        {
            offset += channel.Append(samples.AsSpan(offset), ShaftHz ?? double.NaN);
            if (channel.WindowReady)
            {
                changed |= Analyse(channel, ticks + (long)Math.Round(offset * ticksPerSample));
            }
        }

        return changed;
    }

    private bool Analyse(VibrationChannel channel, long endTicks)
    {
        // Bearing lines are resolved only when the window spans enough shaft revolutions (a main bearing at 12 rpm
        // turns once in 5 s: a 1 s window says nothing about it, and analysing it anyway finds lines in noise). On the
        // slow-shaft path the revolutions are those the record measured.
        if (ShaftHz is not { } shaftHz || shaftHz * 60 < _options.MinShaftRpm
            || channel.Revolutions(shaftHz) < _options.MinRevolutionsPerWindow)
        {
            WindowsSkipped++;
            channel.Skip();
            return false;
        }

        var result = channel.Analyse(shaftHz);
        channel.Completed(result, endTicks);
        _windows++;
        var worst = Worst(endTicks);
        var health = worst.SmoothedHealth();
        if (_history.Add(endTicks, health))
        {
            _rul = _history.Estimate();
        }

        var at = new DateTime(endTicks, DateTimeKind.Utc);
        var alert = NextAlert(_condition?.Alert ?? AlertState.Normal, health);
        if (alert != (_condition?.Alert ?? AlertState.Normal))
        {
            _alertChangedAt = at;
        }

        _condition = Build(worst, health, alert, at);
        if (ReferenceEquals(worst, channel))
        {
            Trace.Record(channel, result, at, health);
        }

        WindowAnalysed?.Invoke(channel.Name, result, _condition);
        if (!IsMaterial(_reported, _condition))
        {
            return false;
        }

        _reported = _condition;
        return true;
    }

    private ComponentCondition Build(VibrationChannel channel, double health, AlertState alert, DateTime at)
    {
        var result = channel.Representative();
        var diagnosis = result.Diagnosis;
        var evidence = ImmutableArray.CreateBuilder<ConditionEvidence>(Math.Min(3, diagnosis.Evidence.Length));
        var harmonics = 0;
        var line = diagnosis.Evidence.IsDefaultOrEmpty ? "" : ComponentCondition.LineName(diagnosis.Evidence[0].Label);
        foreach (var e in diagnosis.Evidence)
        {
            if (evidence.Count < evidence.Capacity)
            {
                evidence.Add(new ConditionEvidence(e.Label, e.FoundHz, e.ProminenceDb));
            }

            // A harmonic is "NAME xK" without a sideband, standing 6 dB or more above its floor.
            if (ComponentCondition.IsBearingFault(diagnosis.Fault) && e.ProminenceDb >= 6
                && e.Label.StartsWith(line + " x", StringComparison.Ordinal) && !e.Label.Contains(" - ", StringComparison.Ordinal)
                && !e.Label.Contains(" + ", StringComparison.Ordinal))
            {
                harmonics++;
            }
        }

        return new ComponentCondition(
            Math.Round(health, 4), diagnosis.Fault, diagnosis.Confidence, result.Zone, result.Indicators.RmsVelocity,
            evidence.MoveToImmutable(), harmonics, _rul, at, _windows, alert, channel.Name, result.ShaftHz);
    }

    private bool IsMaterial(ComponentCondition? before, ComponentCondition now) =>
        before is null
        || Math.Abs(now.HealthIndex - before.HealthIndex) > _options.HealthStep
        || now.Fault != before.Fault
        || now.Zone != before.Zone
        || now.Alert != before.Alert
        || (now.Rul is null) != (before.Rul is null);

    /// <summary>Enter a state below its level, leave it only above the level plus the hysteresis.</summary>
    private AlertState NextAlert(AlertState current, double health)
    {
        var warning = _options.WarningHealth;
        var alarm = _options.AlarmHealth;
        var h = _options.Hysteresis;
        if (health < alarm)
        {
            return AlertState.Alarm;
        }

        return current switch
        {
            AlertState.Alarm when health <= alarm + h => AlertState.Alarm,
            AlertState.Alarm or AlertState.Warning => health > warning + h ? AlertState.Normal : AlertState.Warning,
            _ => health < warning ? AlertState.Warning : AlertState.Normal,
        };
    }

    /// <summary>The channel with the lowest smoothed health among those analysed recently.</summary>
    private VibrationChannel Worst(long nowTicks)
    {
        VibrationChannel? worst = null;
        var worstHealth = double.PositiveInfinity;
        var staleBefore = nowTicks - _options.ChannelStaleAfter.Ticks;
        foreach (var channel in _channels.Values)
        {
            if (!channel.HasResults || channel.LastAnalysisTicks < staleBefore)
            {
                continue;
            }

            var health = channel.SmoothedHealth();
            if (health < worstHealth)
            {
                worst = channel;
                worstHealth = health;
            }
        }

        return worst!;
    }

    private VibrationChannel? ChannelFor(string name, double? rate)
    {
        _channels.TryGetValue(name, out var channel);
        if (rate is not { } fs || !(fs > 0) || !double.IsFinite(fs))
        {
            // Samples that cannot be placed in time break the window.
            if (channel is not null)
            {
                channel.Restart();
                channel.ExpectedTicks = double.NaN;
                Restarts++;
            }

            return null;
        }

        var slow = WantsSlowShaft(channel);
        if (channel is not null && channel.SampleRateHz == fs && channel.IsSlowShaft == slow)
        {
            return channel;
        }

        if (channel is null && _channels.Count >= _options.MaxChannels)
        {
            return null;
        }

        if (channel is not null)
        {
            Restarts++;
        }

        // New channel, a new sample rate or the other path: a fresh analyzer and window.
        channel = new VibrationChannel(name, fs, _analyzerOptions, _options, slow);
        _channels[name] = channel;
        return channel;
    }

    /// <summary>
    /// A main bearing whose shaft turns too slowly for the regular window (fewer than
    /// <see cref="ConditionOptions.MinRevolutionsPerWindow"/> revolutions in <see cref="ConditionOptions.WindowSeconds"/>)
    /// is analysed on the slow-shaft path; it goes back only above twice that, so a speed near the limit does not
    /// rebuild the channel again and again. A new channel with no speed known yet, or a stopped shaft, keeps (or
    /// starts on) the slow-shaft path for a main bearing. Other components always use the regular window.
    /// </summary>
    private bool WantsSlowShaft(VibrationChannel? current)
    {
        if (Kind != ComponentKind.MainBearing)
        {
            return false;
        }

        if (ShaftHz is not { } hz || hz * 60 < _options.MinShaftRpm)
        {
            return current?.IsSlowShaft ?? true;
        }

        var revolutions = hz * _options.WindowSeconds;
        return current is { IsSlowShaft: true }
            ? revolutions < 2 * _options.MinRevolutionsPerWindow
            : revolutions < _options.MinRevolutionsPerWindow;
    }

    private const int MinWaveformSamples = 8;

    private static double Mean(float[] samples)
    {
        if (samples.Length == 0)
        {
            return double.NaN;
        }

        double sum = 0;
        foreach (var s in samples)
        {
            sum += s;
        }

        return sum / samples.Length;
    }

    private bool IsSpeedChannel(string name)
    {
        foreach (var speed in _options.SpeedChannels)
        {
            if (string.Equals(speed, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private void ReadSpeed(ImmutableArray<TelemetryValue> channels)
    {
        foreach (var name in _options.SpeedChannels)
        {
            foreach (var value in channels)
            {
                // A scalar, or a short block of readings (the binary format has no scalars): its mean.
                var reading = value.IsScalar ? value.Value : Mean(value.Samples!);
                if (string.Equals(value.Name, name, StringComparison.Ordinal) && double.IsFinite(reading))
                {
                    var speed = Math.Abs(reading);
                    ShaftHz = value.Unit switch
                    {
                        "hertz" => speed,
                        "radianPerSecond" => speed / (2 * Math.PI),
                        _ => speed / 60,
                    };
                    return;
                }
            }
        }
    }

    private static bool AllFinite(ReadOnlySpan<float> samples)
    {
        foreach (var s in samples)
        {
            if (!float.IsFinite(s))
            {
                return false;
            }
        }

        return true;
    }

    private static (BearingGeometry? Bearing, double? SampleRateHz) ReadProperties(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return (null, null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Properties are not valid JSON: {e.Message}", nameof(json), e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            BearingGeometry? bearing = null;
            if (Number(root, "balls") is { } balls && Number(root, "ballDiameterMm") is { } ball && Number(root, "pitchDiameterMm") is { } pitch
                && balls >= 1 && balls == Math.Floor(balls) && ball > 0 && pitch > ball)
            {
                bearing = new BearingGeometry((int)balls, ball, pitch, Number(root, "contactAngleDeg") ?? 0);
            }

            var rate = Number(root, "vibrationSampleRateHz") is { } fs && fs > 0 ? fs : (double?)null;
            return (bearing, rate);
        }
    }

    private static double? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
            && double.IsFinite(number) ? number : null;
}
