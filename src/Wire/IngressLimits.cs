namespace TwinCluster.Wire;

/// <summary>Limits applied to every payload before anything else sees it. The defaults suit 25.6 kHz blocks.</summary>
public sealed record IngressLimits
{
    /// <summary>The defaults.</summary>
    public static IngressLimits Default { get; } = new();

    /// <summary>Largest payload accepted, in bytes (default 1 MiB).</summary>
    public int MaxPayloadBytes { get; init; } = 1024 * 1024;

    /// <summary>Most channels in one message (default 256).</summary>
    public int MaxChannels { get; init; } = 256;

    /// <summary>Most samples in one channel (default 65,536: 2.5 s at 25.6 kHz).</summary>
    public int MaxSamplesPerChannel { get; init; } = 65_536;

    /// <summary>Most samples over all channels of one message (default 262,144).</summary>
    public int MaxTotalSamples { get; init; } = 262_144;

    /// <summary>How far a timestamp may be ahead of the ingress clock (default 5 minutes).</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How far a timestamp may be behind the ingress clock (default 7 days, for devices that buffered offline).</summary>
    public TimeSpan MaxPastAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Deepest JSON nesting accepted (default 4: message → values → array, plus one spare).</summary>
    public int MaxJsonDepth { get; init; } = 4;

    /// <summary>Throws when a limit is not positive.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPayloadBytes, 1, nameof(MaxPayloadBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxChannels, 1, nameof(MaxChannels));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSamplesPerChannel, 1, nameof(MaxSamplesPerChannel));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTotalSamples, 1, nameof(MaxTotalSamples));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxJsonDepth, 3, nameof(MaxJsonDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFutureSkew, TimeSpan.Zero, nameof(MaxFutureSkew));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPastAge, TimeSpan.Zero, nameof(MaxPastAge));
    }
}
