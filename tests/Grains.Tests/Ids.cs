namespace TwinCluster.Grains.Tests;

/// <summary>Fresh ids so tests sharing one cluster never collide.</summary>
public static class Ids
{
    public static string New(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}
