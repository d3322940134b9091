using System.Collections.Concurrent;
using System.Collections.Immutable;
using TwinCluster.Analytics;
using TwinCluster.Grains.Condition;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Storage.History;

namespace TwinCluster.Grains.History;

/// <summary>Turns an analysed window, or a telemetry record's scalar channels, into a history row.</summary>
public static class HistoryFeatures
{
    /// <summary>Fault kinds that get a defect-line score, in this order.</summary>
    public static readonly ImmutableArray<FaultKind> ScoredFaults =
        [FaultKind.OuterRace, FaultKind.InnerRace, FaultKind.Ball, FaultKind.Cage, FaultKind.Imbalance, FaultKind.Misalignment];

    // Shorter than a waveform block: a reading (the binary format sends scalars as one-sample blocks).
    private const int MaxScalarSamples = 7;

    private static readonly ConcurrentDictionary<int, ImmutableArray<string>> WindowLayouts = new();
    private static readonly ConcurrentDictionary<string, ImmutableArray<string>> ChannelLayouts = new(StringComparer.Ordinal);

    /// <summary>The names of a window's values with <paramref name="bands"/> energy bands.</summary>
    public static ImmutableArray<string> WindowNames(int bands) => WindowLayouts.GetOrAdd(bands, n =>
    [
        .. HistoryFeatureNames.Fixed,
        .. Enumerable.Range(1, n).Select(i => HistoryFeatureNames.BandPrefix + i),
        .. ScoredFaults.Select(f => HistoryFeatureNames.ScorePrefix + f),
    ]);

    /// <summary>The features of one analysed window of <paramref name="channel"/>, with the component's condition after it.</summary>
    public static HistoryRecord FromWindow(string twinId, string channel, AnalysisResult window, ComponentCondition condition)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(condition);
        var indicators = window.Indicators;
        var bands = indicators.BandRms.IsDefault ? 0 : indicators.BandRms.Length;
        var names = WindowNames(bands);
        var values = new float[names.Length];
        var i = 0;
        values[i++] = (float)indicators.RmsAcceleration;
        values[i++] = (float)indicators.PeakAcceleration;
        values[i++] = (float)indicators.CrestFactor;
        values[i++] = (float)indicators.Kurtosis;
        values[i++] = (float)indicators.RmsVelocity;
        values[i++] = (float)indicators.Velocity1X;
        values[i++] = (float)indicators.Velocity2X;
        values[i++] = (float)indicators.EnvelopeKurtosis;
        values[i++] = (float)condition.HealthIndex;
        values[i++] = (float)window.HealthIndex;
        values[i++] = (int)condition.Fault;
        values[i++] = (float)condition.Confidence;
        values[i++] = condition.Rul is { } rul ? (float)rul.Seconds : float.NaN;
        values[i++] = condition.Rul is { } lower ? (float)lower.LowerSeconds : float.NaN;
        values[i++] = condition.Rul is { } upper ? (float)upper.UpperSeconds : float.NaN;
        values[i++] = (float)window.ShaftHz;
        for (var b = 0; b < bands; b++)
        {
            values[i++] = (float)indicators.BandRms[b];
        }

        foreach (var fault in ScoredFaults)
        {
            values[i++] = window.Diagnosis.Scores is { } scores && scores.TryGetValue(fault, out var score) ? (float)score : float.NaN;
        }

        return new HistoryRecord(twinId, DateTime.SpecifyKind(condition.LastAnalysisUtc, DateTimeKind.Utc), channel, names,
            System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(values));
    }

    /// <summary>The scalar channels of a record (a reading, or a block of up to 7 readings: their mean); null when it has none.</summary>
    public static HistoryRecord? FromTelemetry(string twinId, TelemetryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var count = 0;
        foreach (var channel in record.Channels)
        {
            if (IsScalar(channel))
            {
                count++;
            }
        }

        if (count == 0)
        {
            return null;
        }

        var channelNames = new string[count];
        var values = new float[count];
        var n = 0;
        foreach (var channel in record.Channels)
        {
            if (IsScalar(channel))
            {
                channelNames[n] = channel.Name;
                values[n++] = (float)(channel.Samples is { } samples ? Mean(samples) : channel.Value);
            }
        }

        var key = string.Join('\u001f', channelNames);
        var names = ChannelLayouts.Count < 10_000 ? ChannelLayouts.GetOrAdd(key, _ => [.. channelNames]) : [.. channelNames];
        return new HistoryRecord(twinId, DateTime.SpecifyKind(record.TimestampUtc, DateTimeKind.Utc), "", names,
            System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(values));
    }

    private static bool IsScalar(TelemetryValue channel) =>
        channel.Samples is null ? double.IsFinite(channel.Value) : channel.Samples.Length is > 0 and <= MaxScalarSamples;

    private static double Mean(float[] samples)
    {
        double sum = 0;
        foreach (var s in samples)
        {
            sum += s;
        }

        return sum / samples.Length;
    }
}
