using System.Text.Json;
using TwinCluster.Modeling;

namespace TwinCluster.Client.Modeling;

/// <summary>
/// The offline logic behind <c>twin models validate [--each] [--resolve-dir DIR] [--json] PATH...</c>: finds model files,
/// parses them as one model set (or each on its own), and resolves missing references from a folder laid out by the DTMI
/// path convention (dtmi:com:example:Thermostat;1 → dtmi/com/example/thermostat-1.json).
/// </summary>
public sealed class ModelFileValidator
{
    private const int MaxResolvedFiles = 10_000;

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = false };

    private readonly ModelParser _parser;

    /// <summary>Creates a validator using <paramref name="parser"/> (a default parser when null).</summary>
    public ModelFileValidator(ModelParser? parser = null) => _parser = parser ?? new ModelParser();

    /// <summary>
    /// Validates the files under <paramref name="paths"/> (files, or folders searched recursively for *.json and *.jsonld).
    /// Without <paramref name="each"/> all files form one model set and one result is returned; with it, one result per file.
    /// </summary>
    /// <param name="paths">Files or folders.</param>
    /// <param name="each">Validate every file on its own.</param>
    /// <param name="resolveDir">Folder to load referenced but undefined models from, by the DTMI path convention; null for none.</param>
    public IReadOnlyList<ModelFileResult> Validate(IReadOnlyList<string> paths, bool each, string? resolveDir)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var results = new List<ModelFileResult>();
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(IsModelFile)
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                {
                    results.Add(new ModelFileResult(path, false, [new ModelFileError("file.none", $"The folder '{path}' holds no *.json or *.jsonld file.", "$")]));
                }

                files.AddRange(found);
            }
            else
            {
                results.Add(new ModelFileResult(path, false, [new ModelFileError("file.notFound", $"'{path}' is neither a file nor a folder.", "$")]));
            }
        }

        if (resolveDir is not null && !Directory.Exists(resolveDir))
        {
            results.Add(new ModelFileResult(resolveDir, false, [new ModelFileError("file.notFound", $"The resolve folder '{resolveDir}' does not exist.", "$")]));
            resolveDir = null;
        }

        if (each)
        {
            foreach (var file in files)
            {
                results.Add(ValidateSet([file], file, resolveDir));
            }
        }
        else if (files.Count > 0)
        {
            results.Add(ValidateSet(files, string.Join(" ", paths), resolveDir));
        }

        return results;
    }

    /// <summary>The process exit code for a run: 0 when every result is valid, 1 otherwise.</summary>
    public static int ExitCode(IReadOnlyList<ModelFileResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results.Count > 0 && results.All(r => r.Valid) ? 0 : 1;
    }

    /// <summary>One JSON object per line, in the shape of <see cref="ModelFileResult"/>.</summary>
    public static string ToJsonLines(IReadOnlyList<ModelFileResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        return string.Join(Environment.NewLine, results.Select(r => JsonSerializer.Serialize(r, s_json)));
    }

    private static bool IsModelFile(string path) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".jsonld", StringComparison.OrdinalIgnoreCase);

    private ModelFileResult ValidateSet(IReadOnlyList<string> files, string label, string? resolveDir)
    {
        var readErrors = new List<ModelFileError>();
        var sources = new List<ModelSource>();
        var single = files.Count == 1 ? files[0] : null;
        foreach (var file in files)
        {
            if (TryRead(file, out var text, out var error))
            {
                sources.Add(new ModelSource(file, text));
            }
            else
            {
                readErrors.Add(new ModelFileError("file.read", error, "$", single is null ? file : null));
            }
        }

        var result = _parser.Parse(sources);
        if (resolveDir is not null)
        {
            // Load referenced models from the resolve folder until nothing new can be found.
            var loaded = new HashSet<string>(StringComparer.Ordinal);
            while (!result.IsValid && result.UnresolvedReferences.Count > 0 && loaded.Count < MaxResolvedFiles)
            {
                var added = false;
                foreach (var dtmi in result.UnresolvedReferences)
                {
                    string relative;
                    try
                    {
                        relative = DtmiPath.ToRelativePath(dtmi);
                    }
                    catch (ArgumentException)
                    {
                        continue;
                    }

                    var candidate = Path.Combine(resolveDir, relative.Replace('/', Path.DirectorySeparatorChar));
                    if (!loaded.Add(candidate) || !File.Exists(candidate) || !TryRead(candidate, out var text, out _))
                    {
                        continue;
                    }

                    sources.Add(new ModelSource(Path.Combine(resolveDir, relative), text));
                    added = true;
                }

                if (!added)
                {
                    break;
                }

                result = _parser.Parse(sources);
            }
        }

        var errors = readErrors
            .Concat(result.Errors.Select(e => new ModelFileError(e.Code, e.Message, e.Path, e.Source == single ? null : e.Source)))
            .ToList();
        return new ModelFileResult(label, errors.Count == 0, errors);
    }

    private static bool TryRead(string file, out string text, out string error)
    {
        try
        {
            text = File.ReadAllText(file);
            error = string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            text = string.Empty;
            error = $"Cannot read '{file}': {ex.Message}";
            return false;
        }
    }
}
