namespace TwinCluster.Dashboard.Tests.EndToEnd;

/// <summary>
/// Debian's chromium, which the browser tests drive through Playwright's executable path (Playwright's own browser
/// download is not reachable here). scripts/test installs it with apt; without it the tests skip and say why.
/// </summary>
public static class Chromium
{
    /// <summary>The executable: $CHROMIUM_PATH, or the first of the usual Debian paths that exists; null when none does.</summary>
    public static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        string[] candidates = [configured ?? "", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium"];
        return candidates.FirstOrDefault(p => p.Length > 0 && File.Exists(p));
    }

    /// <summary>The executable, or skips the calling test with the reason.</summary>
    public static string Require() =>
        Find() ?? throw SkipException("chromium not found (set CHROMIUM_PATH or `apt-get install -y chromium`; scripts/test installs it): browser test skipped");

    private static Exception SkipException(string message)
    {
        Assert.Skip(message);
        return new InvalidOperationException(message);
    }
}
