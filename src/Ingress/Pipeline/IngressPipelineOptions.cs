using TwinCluster.Wire;

namespace TwinCluster.Ingress.Pipeline;

/// <summary>How the ingress pipeline batches and bounds its work (configuration section <c>TwinCluster:Ingress</c>).</summary>
public sealed class IngressPipelineOptions
{
    /// <summary>Most messages logged in one append (default 1,000).</summary>
    public int MaxBatch { get; set; } = 1_000;

    /// <summary>
    /// Most messages waiting to be logged (default 8,192). When full, transports stop reading (backpressure): the
    /// embedded broker holds the publisher's acknowledgement, an external broker keeps the messages.
    /// </summary>
    public int Capacity { get; set; } = 8_192;

    /// <summary>Payload, channel, sample and timestamp limits.</summary>
    public IngressLimits Limits { get; set; } = IngressLimits.Default;

    /// <summary>Throws with the name of the first setting out of range.</summary>
    public void Validate()
    {
        if (MaxBatch is < 1 or > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatch), MaxBatch, "TwinCluster:Ingress:MaxBatch must be between 1 and 100000");
        }

        if (Capacity < MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(Capacity), Capacity, "TwinCluster:Ingress:Capacity must be at least MaxBatch");
        }

        Limits.Validate();
    }
}
