namespace TwinCluster.Grains;

/// <summary>Settings that can list what is wrong with them, each problem naming its configuration key.</summary>
public interface ISelfChecking
{
    /// <summary>What is out of range; empty when all is well.</summary>
    IEnumerable<string> Problems();
}
