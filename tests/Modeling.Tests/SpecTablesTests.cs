using System.Diagnostics;

namespace TwinCluster.Modeling.Tests;

/// <summary>The committed SpecTables.g.cs is what the generator makes from the language documents today.</summary>
public sealed class SpecTablesTests
{
    [Fact]
    public void Generated_spec_tables_match_the_language_documents()
    {
        var spec = TestData.Dtdl("spec");
        var repo = RepositoryRoot();
        var script = Path.Combine(repo, "src", "Modeling", "Parsing", "generate-spec-tables.py");
        var committed = Path.Combine(repo, "src", "Modeling", "Parsing", "SpecTables.g.cs");
        var output = Path.Combine(Path.GetTempPath(), $"SpecTables-{Guid.NewGuid():N}.g.cs");
        try
        {
            using var python = Start("python3", script, spec, output);
            if (python is null)
            {
                Assert.Skip("python3 is not on PATH, so the generator cannot be run.");
            }

            var stderr = python!.StandardError.ReadToEnd();
            python.StandardOutput.ReadToEnd();
            Assert.True(python.WaitForExit(60_000), "the generator did not finish within 60 s");
            Assert.True(python.ExitCode == 0, $"the generator failed: {stderr}");
            Assert.True(File.ReadAllText(committed) == File.ReadAllText(output),
                "SpecTables.g.cs differs from what generate-spec-tables.py makes from the spec: run the script and commit the result.");
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static Process? Start(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        try
        {
            return Process.Start(info);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TwinCluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("TwinCluster.sln not found above the test binaries.");
    }
}
