namespace TwinCluster.Silo.Security;

/// <summary>
/// Where the embedded default keeps its secrets: <c>TwinCluster:Security:Directory</c>, by default
/// <c>~/.twincluster</c>, created with mode 0700.
/// </summary>
public static class SecurityDirectory
{
    /// <summary>The setting that moves the directory (tests point it at a temp directory).</summary>
    public const string Setting = "TwinCluster:Security:Directory";

    /// <summary>The directory from configuration or the default, created if missing.</summary>
    public static string Resolve(IConfiguration configuration)
    {
        var path = configuration[Setting] is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".twincluster");
        if (!Directory.Exists(path))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return path;
    }

    /// <summary>Writes <paramref name="text"/> to a new file readable by its owner only (0600), replacing any.</summary>
    public static void WritePrivate(string path, string text)
    {
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, path, overwrite: true);
    }
}
