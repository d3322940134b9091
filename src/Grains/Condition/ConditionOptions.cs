using System.Collections.Immutable;

namespace TwinCluster.Grains.Condition;

/// <summary>How a <see cref="ComponentMonitor"/> windows, analyses and alerts.</summary>
public sealed record ConditionOptions
{
    /// <summary>Length of an analysed window in seconds (default 1); never shorter than one analyzer segment.</summary>
    public double WindowSeconds { get; init; } = 1.0;

    /// <summary>Overlap of consecutive windows in [0, 0.9] (default 0.5: a window every half window).</summary>
    public double Overlap { get; init; } = 0.5;

    /// <summary>Windows whose median health makes the condition's health (default 3): one odd window does not move it.</summary>
    public int SmoothingWindows { get; init; } = 3;

    /// <summary>Health below which the state becomes <see cref="AlertState.Warning"/> (default 0.75: zone B/C).</summary>
    public double WarningHealth { get; init; } = 0.75;

    /// <summary>Health below which the state becomes <see cref="AlertState.Alarm"/> (default 0.5); also the end of life for RUL.</summary>
    public double AlarmHealth { get; init; } = 0.5;

    /// <summary>How far above a level health must return before its state clears (default 0.1: alarm cleared above 0.6).</summary>
    public double Hysteresis { get; init; } = 0.1;

    /// <summary>Health change that counts as material for <see cref="ComponentMonitor.Offer"/> (default 0.02).</summary>
    public double HealthStep { get; init; } = 0.02;

    /// <summary>One point of health history per interval (default 1 hour), the mean of the windows in it.</summary>
    public TimeSpan HistoryInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Points of history kept (default 168: a week of hours); RUL is capped at three times the span they cover.</summary>
    public int HistoryLength { get; init; } = 168;

    /// <summary>Most recent history points the RUL trend is fitted to (default 24).</summary>
    public int RulTrendPoints { get; init; } = 24;

    /// <summary>Fewest history points before a RUL is attempted (default 6).</summary>
    public int RulMinPoints { get; init; } = 6;

    /// <summary>
    /// A block whose timestamp is further than this from where the previous block ended starts a new window
    /// (default 5 ms). Null trusts block order and never restarts on timestamps, for sources that stamp messages with
    /// the time they were sent rather than the time of their first sample.
    /// </summary>
    public TimeSpan? GapTolerance { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Scalar channels read as shaft speed, first found wins (rpm unless the unit says hertz or radianPerSecond).</summary>
    public ImmutableArray<string> SpeedChannels { get; init; } = ["shaftSpeed", "speed", "outputSpeed"];

    /// <summary>Below this shaft speed (rpm) the machine counts as stopped and windows are not analysed (default 1).</summary>
    public double MinShaftRpm { get; init; } = 1;

    /// <summary>
    /// Fewest shaft revolutions a window must span to be analysed (default 5); slower shafts need longer windows
    /// (<see cref="WindowSeconds"/>). A main bearing too slow for the regular window goes to the slow-shaft path, where
    /// its record (<see cref="SlowShaftWindowSeconds"/>) must span this many revolutions.
    /// </summary>
    public double MinRevolutionsPerWindow { get; init; } = 5;

    /// <summary>
    /// Record length in seconds of a main bearing on the slow-shaft path (default 60: 6–15 revolutions of a rotor at
    /// 6–15 rpm). Main bearings whose shaft is too slow for <see cref="WindowSeconds"/> are not windowed raw: their
    /// signal is demodulated and decimated as it arrives and each record is order-tracked (see
    /// <see cref="TwinCluster.Analytics.SlowShaftAnalyzer"/>); <see cref="Overlap"/> applies to these records too.
    /// </summary>
    public double SlowShaftWindowSeconds { get; init; } = 60;

    /// <summary>Rate of a slow-shaft record (the decimated envelope), Hz (default 64; never above a sixteenth of the sample rate).</summary>
    public double SlowShaftEnvelopeRateHz { get; init; } = 64;

    /// <summary>Block channels analysed at most (default 4); further ones are ignored.</summary>
    public int MaxChannels { get; init; } = 4;

    /// <summary>A channel with no analysis for this long (signal time) no longer counts towards the condition (default 10 minutes).</summary>
    public TimeSpan ChannelStaleAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Require(WindowSeconds > 0 && double.IsFinite(WindowSeconds), nameof(WindowSeconds), "must be positive");
        Require(Overlap is >= 0 and <= 0.9, nameof(Overlap), "must be in [0, 0.9]");
        Require(SmoothingWindows >= 1, nameof(SmoothingWindows), "must be at least 1");
        Require(AlarmHealth is > 0 and < 1 && WarningHealth > AlarmHealth && WarningHealth < 1, nameof(WarningHealth), "must be above AlarmHealth, both in (0, 1)");
        Require(Hysteresis >= 0 && WarningHealth + Hysteresis <= 1, nameof(Hysteresis), "must not be negative nor lift WarningHealth above 1");
        Require(HealthStep > 0, nameof(HealthStep), "must be positive");
        Require(HistoryInterval > TimeSpan.Zero, nameof(HistoryInterval), "must be positive");
        Require(RulMinPoints >= 3 && RulTrendPoints >= RulMinPoints && HistoryLength >= RulTrendPoints, nameof(HistoryLength), "must hold RulTrendPoints >= RulMinPoints >= 3");
        Require(GapTolerance is null || GapTolerance >= TimeSpan.Zero, nameof(GapTolerance), "must not be negative");
        Require(!SpeedChannels.IsDefault, nameof(SpeedChannels), "must be set");
        Require(MinShaftRpm >= 0, nameof(MinShaftRpm), "must not be negative");
        Require(MinRevolutionsPerWindow >= 0, nameof(MinRevolutionsPerWindow), "must not be negative");
        Require(SlowShaftWindowSeconds > 0 && SlowShaftWindowSeconds <= 3600, nameof(SlowShaftWindowSeconds), "must be positive and at most an hour");
        Require(SlowShaftEnvelopeRateHz is >= 8 and <= 1024, nameof(SlowShaftEnvelopeRateHz), "must be in [8, 1024]");
        Require(MaxChannels >= 1, nameof(MaxChannels), "must be at least 1");
        Require(ChannelStaleAfter > TimeSpan.Zero, nameof(ChannelStaleAfter), "must be positive");
    }

    private static void Require(bool condition, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"{nameof(ConditionOptions)}.{name} {rule}.");
        }
    }
}
