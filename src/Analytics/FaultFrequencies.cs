namespace TwinCluster.Analytics;

/// <summary>Bearing defect frequencies in Hz (or orders, when computed per unit shaft speed).</summary>
/// <param name="Bpfo">Ball pass frequency, outer race.</param>
/// <param name="Bpfi">Ball pass frequency, inner race.</param>
/// <param name="Bsf">Ball (roller) spin frequency.</param>
/// <param name="Ftf">Fundamental train (cage) frequency.</param>
public sealed record FaultFrequencies(double Bpfo, double Bpfi, double Bsf, double Ftf);
