namespace TwinCluster.Modeling.Tests;

/// <summary>Finds the shared public data: $TWINCLUSTER_DATA, else ../shared/data relative to the repository root.</summary>
internal static class TestData
{
    public static string? Root { get; } = Locate();

    private static string? Locate()
    {
        var env = Environment.GetEnvironmentVariable("TWINCLUSTER_DATA");
        if (!string.IsNullOrEmpty(env))
        {
            return Directory.Exists(env) ? env : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TwinCluster.sln")))
            {
                var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
                return Directory.Exists(candidate) ? candidate : null;
            }
        }

        return null;
    }

    /// <summary>The DTDL data folder, or skips the test with a message saying the data is absent.</summary>
    public static string Dtdl(string sub = "")
    {
        var dir = Root is null ? null : Path.Combine(Root, "dtdl", sub);
        if (dir is null || !Directory.Exists(dir))
        {
            Assert.Skip($"DTDL data not found (looked for $TWINCLUSTER_DATA, then ../shared/data next to the repository root; wanted dtdl/{sub}).");
        }

        return dir!;
    }
}
