namespace TwinCluster.Wire;

/// <summary>
/// One channel of a message: a DTDL telemetry name (or <c>component/telemetry</c>) and its samples, oldest first.
/// A scalar reading is one sample with <see cref="IsScalar"/> set.
/// </summary>
public sealed class TelemetryChannel
{
    private readonly double[] _values;

    /// <summary>Creates a channel; the samples are copied, so the channel stays immutable.</summary>
    public TelemetryChannel(string name, ReadOnlySpan<double> values, string? unit = null, bool isScalar = false)
        : this(name, values.ToArray(), unit, isScalar)
    {
    }

    // Takes ownership of an array the decoders built themselves, without a copy.
    internal TelemetryChannel(string name, double[] values, string? unit, bool isScalar)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (isScalar && values.Length != 1)
        {
            throw new ArgumentException("a scalar channel has exactly one value", nameof(values));
        }

        Name = name;
        _values = values;
        Unit = unit;
        IsScalar = isScalar;
    }

    /// <summary>The telemetry name.</summary>
    public string Name { get; }

    /// <summary>The samples, oldest first (binary blocks carry float32, widened here).</summary>
    public ReadOnlyMemory<double> Values => _values;

    /// <summary>The unit the device stated, or null when it stated none.</summary>
    public string? Unit { get; }

    /// <summary>True when the device sent one bare number rather than a block of samples.</summary>
    public bool IsScalar { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name}[{_values.Length}]";
}
