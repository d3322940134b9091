namespace TwinCluster.Modeling;

/// <summary>A consistent set of interfaces whose references are all resolved.</summary>
public sealed class ModelSet
{
    private readonly Dictionary<string, InterfaceModel> _interfaces;

    internal ModelSet(Dictionary<string, InterfaceModel> interfaces) => _interfaces = interfaces;

    /// <summary>An empty set.</summary>
    public static ModelSet Empty { get; } = new(new Dictionary<string, InterfaceModel>(StringComparer.Ordinal));

    /// <summary>All interfaces keyed by DTMI.</summary>
    public IReadOnlyDictionary<string, InterfaceModel> Interfaces => _interfaces;

    /// <summary>The interface with this DTMI, or null.</summary>
    public InterfaceModel? Find(string dtmi) => _interfaces.GetValueOrDefault(dtmi);

    /// <summary>True when <paramref name="dtmi"/> equals <paramref name="baseDtmi"/> or extends it transitively.</summary>
    public bool IsSubtypeOf(string dtmi, string baseDtmi)
    {
        if (string.Equals(dtmi, baseDtmi, StringComparison.Ordinal))
        {
            return true;
        }

        return Find(dtmi) is { } model && model.AllBasesSet.Contains(baseDtmi);
    }
}
