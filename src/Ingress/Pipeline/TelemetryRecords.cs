using System.Collections.Immutable;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Pipeline;

/// <summary>Converts logged messages to the records twins receive.</summary>
public static class TelemetryRecords
{
    /// <summary>The record of <paramref name="message"/>, accepted by the ingress at <paramref name="acceptedAt"/>.</summary>
    public static TelemetryRecord From(TelemetryMessage message, DateTimeOffset acceptedAt)
    {
        ArgumentNullException.ThrowIfNull(message);
        var channels = ImmutableArray.CreateBuilder<TelemetryValue>(message.Channels.Length);
        foreach (var channel in message.Channels)
        {
            var values = channel.Values.Span;
            if (channel.IsScalar)
            {
                channels.Add(new TelemetryValue(channel.Name, channel.Unit, values[0], null));
                continue;
            }

            var samples = new float[values.Length];
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] = (float)values[i];
            }

            channels.Add(new TelemetryValue(channel.Name, channel.Unit, double.NaN, samples));
        }

        return new TelemetryRecord(message.Seq, message.Timestamp.UtcDateTime, message.SampleRateHz,
            acceptedAt.UtcDateTime, channels.MoveToImmutable());
    }

    /// <summary>
    /// Groups <paramref name="messages"/> and the markers of <paramref name="refused"/> seqs by twin, each group in seq
    /// order.
    /// </summary>
    public static List<TelemetryBatch> ByTwin(IEnumerable<TelemetryMessage> messages, DateTimeOffset acceptedAt,
        IEnumerable<(TwinId Twin, long Seq)>? refused = null) =>
        messages.Select(m => (Twin: m.TwinId, Record: From(m, acceptedAt)))
            .Concat((refused ?? []).Select(r => (r.Twin, Record: TelemetryRecord.RefusedMarker(r.Seq, acceptedAt.UtcDateTime))))
            .GroupBy(r => r.Twin)
            .Select(g => new TelemetryBatch(g.Key.Value, [.. g.Select(r => r.Record).OrderBy(r => r.Seq)]))
            .ToList();
}
