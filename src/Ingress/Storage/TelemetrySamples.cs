using System.Buffers.Binary;
using System.Collections.Immutable;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Storage;

// The compact sample layout of the log: every channel's values concatenated little-endian, 4 bytes each when the
// whole message is float32-exact (binary wire blocks), otherwise 8; either way the doubles come back bit for bit.
internal static class TelemetrySamples
{
    public static int WidthOf(TelemetryMessage message)
    {
        foreach (var channel in message.Channels)
        {
            foreach (var value in channel.Values.Span)
            {
                if (BitConverter.DoubleToInt64Bits((float)value) != BitConverter.DoubleToInt64Bits(value))
                {
                    return 8;
                }
            }
        }

        return 4;
    }

    public static byte[] Pack(TelemetryMessage message, int width)
    {
        var bytes = new byte[message.SampleCount * width];
        var offset = 0;
        foreach (var channel in message.Channels)
        {
            foreach (var value in channel.Values.Span)
            {
                if (width == 4)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset), (float)value);
                }
                else
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(offset), value);
                }

                offset += width;
            }
        }

        return bytes;
    }

    public static ImmutableArray<TelemetryChannel> Unpack(
        string[] names, string?[] units, bool[] scalar, int[] lengths, int width, byte[] samples)
    {
        if (names.Length != units.Length || names.Length != scalar.Length || names.Length != lengths.Length
            || (width != 4 && width != 8) || lengths.Sum(l => (long)l) * width != samples.Length)
        {
            throw new InvalidDataException("A telemetry log row has an inconsistent channel layout.");
        }

        var channels = ImmutableArray.CreateBuilder<TelemetryChannel>(names.Length);
        var offset = 0;
        for (var c = 0; c < names.Length; c++)
        {
            var values = new double[lengths[c]];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = width == 4
                    ? BinaryPrimitives.ReadSingleLittleEndian(samples.AsSpan(offset))
                    : BinaryPrimitives.ReadDoubleLittleEndian(samples.AsSpan(offset));
                offset += width;
            }

            channels.Add(new TelemetryChannel(names[c], values, units[c], scalar[c]));
        }

        return channels.MoveToImmutable();
    }
}
