namespace TwinCluster.Client.Analysis;

/// <summary>One capture read from a CSV file: channel names from the header and one sample array per channel.</summary>
/// <param name="Channels">Column names, in file order.</param>
/// <param name="Samples">Samples per channel, same order as <paramref name="Channels"/>.</param>
public sealed record Capture(IReadOnlyList<string> Channels, IReadOnlyList<double[]> Samples)
{
    /// <summary>Samples per channel.</summary>
    public int Length => Samples.Count == 0 ? 0 : Samples[0].Length;

    /// <summary>The samples of a channel given by name or zero-based index (null: the first channel).</summary>
    public double[] Channel(string? nameOrIndex)
    {
        if (string.IsNullOrEmpty(nameOrIndex))
        {
            return Samples[0];
        }

        for (var i = 0; i < Channels.Count; i++)
        {
            if (string.Equals(Channels[i], nameOrIndex, StringComparison.OrdinalIgnoreCase))
            {
                return Samples[i];
            }
        }

        if (int.TryParse(nameOrIndex, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var index)
            && index >= 0 && index < Samples.Count)
        {
            return Samples[index];
        }

        throw new ArgumentException($"No channel '{nameOrIndex}'; the capture has {string.Join(", ", Channels)}.", nameof(nameOrIndex));
    }
}
