namespace TwinCluster.Grains.Interfaces;

/// <summary>Storage provider names, in one place so silo configuration and grains agree.</summary>
public static class StorageNames
{
    /// <summary>Twin state.</summary>
    public const string Twins = "twins";

    /// <summary>The model repository.</summary>
    public const string Models = "models";
}
