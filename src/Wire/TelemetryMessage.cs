using System.Collections.Immutable;

namespace TwinCluster.Wire;

/// <summary>
/// A decoded telemetry message: the twin (from the topic), the device's sequence number, the timestamp of the
/// first sample, the sample rate of block channels (when given), and the channels in wire order.
/// </summary>
public sealed class TelemetryMessage
{
    /// <summary>Creates a message. Channel names should be distinct; both decoders refuse a repeated one.</summary>
    public TelemetryMessage(TwinId twinId, long seq, DateTimeOffset timestamp, double? sampleRateHz,
        ImmutableArray<TelemetryChannel> channels, WireFormat format)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seq);
        if (channels.IsDefault)
        {
            throw new ArgumentException("channels must be set", nameof(channels));
        }

        TwinId = twinId;
        Seq = seq;
        Timestamp = timestamp;
        SampleRateHz = sampleRateHz;
        Channels = channels;
        Format = format;
    }

    /// <summary>The twin the message belongs to.</summary>
    public TwinId TwinId { get; }

    /// <summary>The device's sequence number; increases per twin, and identifies duplicates.</summary>
    public long Seq { get; }

    /// <summary>When the first sample of each channel was taken.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Samples per second of the block channels, or null when the message gives none.</summary>
    public double? SampleRateHz { get; }

    /// <summary>The channels, in the order they arrived.</summary>
    public ImmutableArray<TelemetryChannel> Channels { get; }

    /// <summary>The encoding the message arrived in.</summary>
    public WireFormat Format { get; }

    /// <summary>The total number of samples over all channels.</summary>
    public int SampleCount
    {
        get
        {
            var total = 0;
            foreach (var channel in Channels)
            {
                total += channel.Values.Length;
            }

            return total;
        }
    }

    /// <summary>The channel called <paramref name="name"/>, or null.</summary>
    public TelemetryChannel? Find(string name)
    {
        foreach (var channel in Channels)
        {
            if (string.Equals(channel.Name, name, StringComparison.Ordinal))
            {
                return channel;
            }
        }

        return null;
    }
}
