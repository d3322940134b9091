using System.Xml.Linq;
using k8s;
using k8s.Models;

namespace TwinCluster.Deploy.Tests;

/// <summary>The repository's deployment files, found from the test binary, and loaded with the typed Kubernetes models.</summary>
internal static class Manifests
{
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "TwinCluster.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"no TwinCluster.sln above {AppContext.BaseDirectory}");
        }
    }

    public static string KubernetesDirectory => Path.Combine(RepositoryRoot, "deploy", "k8s");

    /// <summary>Every manifest file, the alternatives included.</summary>
    public static IReadOnlyList<string> Files =>
        Directory.GetFiles(KubernetesDirectory, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

    /// <summary>The &lt;Version&gt; of Directory.Build.props: the tag of our images.</summary>
    public static string Version =>
        XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props")).Descendants("Version").Single().Value.Trim();

    /// <summary>
    /// Loads a file's documents as typed objects, strictly: a field the model does not know (a misspelling, a field in
    /// the wrong place) throws, naming the field.
    /// </summary>
    public static List<object> Load(string yaml) => KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true).ToList();

    public static List<(string File, object Object)> LoadAll() =>
        Files.SelectMany(f => Load(File.ReadAllText(f)).Select(o => (Path.GetRelativePath(KubernetesDirectory, f), o))).ToList();

    /// <summary>The pod templates of the workloads, with the workload's name.</summary>
    public static IEnumerable<(string Workload, V1PodSpec Pod)> PodSpecs(IEnumerable<object> objects)
    {
        foreach (var o in objects)
        {
            switch (o)
            {
                case V1Deployment d:
                    yield return ($"Deployment/{d.Metadata.Name}", d.Spec.Template.Spec);
                    break;
                case V1StatefulSet s:
                    yield return ($"StatefulSet/{s.Metadata.Name}", s.Spec.Template.Spec);
                    break;
                case V1DaemonSet ds:
                    yield return ($"DaemonSet/{ds.Metadata.Name}", ds.Spec.Template.Spec);
                    break;
                case V1Job j:
                    yield return ($"Job/{j.Metadata.Name}", j.Spec.Template.Spec);
                    break;
            }
        }
    }
}
