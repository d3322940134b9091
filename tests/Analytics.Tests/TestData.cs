using System.Globalization;
using System.Text.Json;

namespace TwinCluster.Analytics.Tests;

/// <summary>Locates the shared public data sets and reads their CSV captures.</summary>
internal static class TestData
{
    public static string? Root()
    {
        var env = Environment.GetEnvironmentVariable("TWINCLUSTER_DATA");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env))
        {
            return env;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TwinCluster.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            return null;
        }

        var data = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
        return Directory.Exists(data) ? data : null;
    }

    public static string RequireDir(string sub)
    {
        var root = Root();
        var path = root is null ? null : Path.Combine(root, sub);
        if (path is null || !Directory.Exists(path))
        {
            Assert.Skip($"Data set '{sub}' is absent: expected ../shared/data/{sub} next to the repository or $TWINCLUSTER_DATA.");
        }

        return path!;
    }

    public static JsonElement Manifest(string dir) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json"))).RootElement;

    /// <summary>Reads one numeric column of a CSV with a header line.</summary>
    public static double[] ReadColumn(string path, int column = 0)
    {
        var values = new List<double>(130_000);
        using var reader = new StreamReader(path);
        _ = reader.ReadLine();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var span = line.AsSpan();
            for (var c = 0; c < column; c++)
            {
                span = span[(span.IndexOf(',') + 1)..];
            }

            var comma = span.IndexOf(',');
            if (comma >= 0)
            {
                span = span[..comma];
            }

            values.Add(double.Parse(span, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return [.. values];
    }
}
