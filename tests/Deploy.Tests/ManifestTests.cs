using System.Globalization;
using k8s;
using k8s.Models;

namespace TwinCluster.Deploy.Tests;

/// <summary>
/// deploy/k8s loads with the typed Kubernetes models (strictly: an unknown or misspelled field fails) and keeps the
/// rules the project holds itself to: resources, probes, non-root, read-only root filesystem, pinned images with our
/// version as tag, and a silo grace period that covers its whole graceful stop.
/// </summary>
public sealed class ManifestTests
{
    private static readonly List<(string File, object Object)> All = Manifests.LoadAll();

    [Fact]
    public void Every_manifest_file_loads_strictly_into_typed_objects()
    {
        Assert.NotEmpty(Manifests.Files);
        foreach (var file in Manifests.Files)
        {
            var objects = Manifests.Load(File.ReadAllText(file));
            Assert.True(objects.Count > 0, $"{file} holds no object");
            Assert.All(objects, o => Assert.IsAssignableFrom<IKubernetesObject>(o));
        }

        // What the README promises is there.
        Assert.Contains(All, x => x.Object is V1Deployment { Metadata.Name: "twincluster-silo" });
        Assert.Contains(All, x => x.Object is V1StatefulSet { Metadata.Name: "twincluster-ingress" });
        Assert.Contains(All, x => x.Object is V2HorizontalPodAutoscaler { Metadata.Name: "twincluster-silo" });
        Assert.Contains(All, x => x.Object is V1PodDisruptionBudget);
    }

    [Theory]
    [InlineData("replicass: 3", "replicass")]                        // misspelled
    [InlineData("replicas: 3\n  terminationGracePeriodSeconds: 5", "terminationGracePeriodSeconds")]   // right field, wrong place
    public void A_misspelled_or_misplaced_field_fails_to_load(string specLine, string field)
    {
        var yaml = $$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: x
            spec:
              {{specLine}}
              selector:
                matchLabels: { app: x }
              template:
                metadata:
                  labels: { app: x }
                spec:
                  containers:
                    - name: x
                      image: x:1
            """;
        var error = Assert.ThrowsAny<Exception>(() => Manifests.Load(yaml));
        Assert.Contains(field, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_container_sets_requests_limits_probes_and_runs_non_root_on_a_read_only_root()
    {
        var workloads = Manifests.PodSpecs(All.Select(x => x.Object)).ToList();
        Assert.True(workloads.Count >= 4, "silo, ingress, postgres and mosquitto workloads expected");
        var problems = new List<string>();
        foreach (var (workload, pod) in workloads)
        {
            foreach (var c in pod.Containers)
            {
                var where = $"{workload} container {c.Name}";
                if (c.Resources?.Requests is not { } requests || !requests.ContainsKey("cpu") || !requests.ContainsKey("memory"))
                {
                    problems.Add($"{where}: resources.requests needs cpu and memory");
                }

                if (c.Resources?.Limits is not { } limits || !limits.ContainsKey("memory"))
                {
                    problems.Add($"{where}: resources.limits needs memory");
                }

                if (c.ReadinessProbe is null || c.LivenessProbe is null)
                {
                    problems.Add($"{where}: readinessProbe and livenessProbe are required");
                }

                var nonRoot = c.SecurityContext?.RunAsNonRoot ?? pod.SecurityContext?.RunAsNonRoot;
                var user = c.SecurityContext?.RunAsUser ?? pod.SecurityContext?.RunAsUser;
                if (nonRoot != true || user is null or 0)
                {
                    problems.Add($"{where}: runAsNonRoot: true and a non-zero runAsUser are required");
                }

                if (c.SecurityContext?.ReadOnlyRootFilesystem != true)
                {
                    problems.Add($"{where}: securityContext.readOnlyRootFilesystem: true is required");
                }

                if (c.SecurityContext?.AllowPrivilegeEscalation != false)
                {
                    problems.Add($"{where}: securityContext.allowPrivilegeEscalation: false is required");
                }

                if (c.SecurityContext?.Capabilities?.Drop is not { } drop || !drop.Contains("ALL"))
                {
                    problems.Add($"{where}: capabilities.drop must contain ALL");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Images_are_pinned_and_ours_carry_the_repository_version()
    {
        var version = Manifests.Version;
        Assert.Matches(@"^\d+\.\d+\.\d+", version);
        var problems = new List<string>();
        var ours = 0;
        foreach (var (workload, pod) in Manifests.PodSpecs(All.Select(x => x.Object)))
        {
            foreach (var c in pod.Containers.Concat(pod.InitContainers ?? []))
            {
                var image = c.Image;
                var digest = image.Contains('@', StringComparison.Ordinal);
                var name = image.Split('@')[0];
                var colon = name.LastIndexOf(':');
                var tag = colon > name.LastIndexOf('/') ? name[(colon + 1)..] : null;
                if (!digest && tag is null)
                {
                    problems.Add($"{workload}/{c.Name}: image {image} has no tag");
                }
                else if (tag == "latest")
                {
                    problems.Add($"{workload}/{c.Name}: image {image} is 'latest'");
                }
                else if (!digest && tag is not null && !tag.Contains('.', StringComparison.Ordinal))
                {
                    problems.Add($"{workload}/{c.Name}: image {image}: a floating major tag; name a minor or patch release");
                }

                if (name.StartsWith("twincluster/", StringComparison.Ordinal))
                {
                    ours++;
                    if (tag != version)
                    {
                        problems.Add($"{workload}/{c.Name}: image {image} must be tagged {version} (Directory.Build.props <Version>)");
                    }

                    if (c.ImagePullPolicy == "Always")
                    {
                        problems.Add($"{workload}/{c.Name}: a fixed tag needs no imagePullPolicy Always");
                    }
                }
            }
        }

        Assert.True(ours >= 2, "the silo and ingress images are expected");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_silo_grace_period_covers_pre_stop_shutdown_delay_and_orleans_shutdown()
    {
        var silo = All.Select(x => x.Object).OfType<V1Deployment>().Single(d => d.Metadata.Name == "twincluster-silo");
        var pod = silo.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        var preStop = container.Lifecycle?.PreStop?.Sleep?.Seconds ?? 0;
        Assert.True(preStop > 0, "the silo needs a preStop sleep so Services drop it before SIGTERM");
        TimeSpan Env(string name) => TimeSpan.Parse(container.Env.Single(e => e.Name == name).Value, CultureInfo.InvariantCulture);
        var needed = preStop + Env("TwinCluster__ShutdownDelay").TotalSeconds + Env("TwinCluster__ShutdownTimeout").TotalSeconds;
        Assert.True(pod.TerminationGracePeriodSeconds >= needed + 10,
            $"terminationGracePeriodSeconds {pod.TerminationGracePeriodSeconds} < preStop {preStop} + delay + shutdown timeout + 10 s margin = {needed + 10}");
        Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
        Assert.Equal(0, silo.Spec.Strategy.RollingUpdate.MaxUnavailable.Value is string s ? int.Parse(s, CultureInfo.InvariantCulture) : 0);
    }

    [Fact]
    public void Autoscalers_target_workloads_that_exist_with_sane_bounds()
    {
        var objects = All.Select(x => x.Object).ToList();
        var hpas = objects.OfType<V2HorizontalPodAutoscaler>().ToList();
        Assert.True(hpas.Count >= 3, "CPU autoscalers for silo and ingress, and the ingest-rate alternative");
        foreach (var hpa in hpas)
        {
            var target = hpa.Spec.ScaleTargetRef;
            var exists = target.Kind switch
            {
                "Deployment" => objects.OfType<V1Deployment>().Any(d => d.Metadata.Name == target.Name && d.Metadata.NamespaceProperty == hpa.Metadata.NamespaceProperty),
                "StatefulSet" => objects.OfType<V1StatefulSet>().Any(d => d.Metadata.Name == target.Name && d.Metadata.NamespaceProperty == hpa.Metadata.NamespaceProperty),
                _ => false,
            };
            Assert.True(exists, $"HPA {hpa.Metadata.Name} targets {target.Kind}/{target.Name}, which no manifest defines");
            Assert.InRange(hpa.Spec.MinReplicas ?? 1, 1, hpa.Spec.MaxReplicas);
            Assert.NotEmpty(hpa.Spec.Metrics);
            // Silos leave one at a time: each departure moves activations.
            if (target.Name == "twincluster-silo")
            {
                Assert.All(hpa.Spec.Behavior.ScaleDown.Policies, p => Assert.Equal(1, p.Value));
            }
        }
    }

    [Fact]
    public void Network_policies_keep_the_gateway_and_the_database_to_twincluster_pods_and_select_real_workloads()
    {
        var workloads = All.Select(a => a.Object).SelectMany(o => o switch
        {
            V1Deployment d => [(d.Metadata.Name, d.Spec.Template.Metadata.Labels)],
            V1StatefulSet s => [(s.Metadata.Name, s.Spec.Template.Metadata.Labels)],
            _ => Array.Empty<(string, IDictionary<string, string>)>(),
        }).Where(w => w.Item1 is not null).ToList();
        bool Selects(V1LabelSelector selector, IDictionary<string, string> labels) =>
            selector.MatchLabels.All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value);
        var policies = All.Select(a => a.Object).OfType<V1NetworkPolicy>().ToList();
        Assert.NotEmpty(policies);
        foreach (var policy in policies)
        {
            Assert.True(workloads.Any(w => Selects(policy.Spec.PodSelector, w.Item2)), $"NetworkPolicy/{policy.Metadata.Name} selects no workload");
            foreach (var peer in policy.Spec.Ingress.SelectMany(r => r.FromProperty ?? []))
            {
                Assert.True(peer.PodSelector is not null && workloads.Any(w => Selects(peer.PodSelector, w.Item2)),
                    $"NetworkPolicy/{policy.Metadata.Name} admits a peer that is no workload of ours");
            }
        }

        // The trusted doors: every rule that opens them names its peers, and they are TwinCluster's silo and ingress.
        foreach (var (workload, port) in new[] { ("twincluster-silo", 11111), ("twincluster-silo", 30000), ("postgres", 5432) })
        {
            var labels = workloads.Single(w => w.Item2.TryGetValue("app.kubernetes.io/name", out var n) && n == workload).Item2;
            var selecting = policies.Where(p => Selects(p.Spec.PodSelector, labels)).ToList();
            Assert.True(selecting.Count > 0, $"no NetworkPolicy selects {workload}: port {port} is open to every pod");
            var opening = selecting.SelectMany(p => p.Spec.Ingress).Where(r => r.Ports is null || r.Ports.Any(x => x.Port.Value == port.ToString(CultureInfo.InvariantCulture))).ToList();
            Assert.NotEmpty(opening);
            Assert.All(opening, rule =>
            {
                Assert.True(rule.FromProperty is { Count: > 0 }, $"{workload}:{port} is open to anyone");
                Assert.All(rule.FromProperty, peer => Assert.Contains(peer.PodSelector.MatchLabels["app.kubernetes.io/name"], new[] { "twincluster-silo", "twincluster-ingress" }));
            });
        }

        // The front door is HTTPS with the operator's certificate from a Secret, and a Service points at it.
        var silo = Manifests.PodSpecs(All.Select(a => a.Object)).Single(p => p.Workload == "Deployment/twincluster-silo").Pod.Containers.Single();
        Assert.Contains(silo.Ports, p => p.Name == "https" && p.ContainerPort == 8443);
        Assert.Contains(silo.Env, e => e.Name == "TwinCluster__Api__CertificatePath");
        var api = All.Select(a => a.Object).OfType<V1Service>().Single(s => s.Metadata.Name == "twincluster-api");
        Assert.Equal("https", api.Spec.Ports.Single().TargetPort.Value);
    }
}
