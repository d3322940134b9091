using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Security;

namespace TwinCluster.Grains.Tests.Security;

public sealed class MosquittoFilesTests
{
    [Fact]
    public void Each_device_gets_its_hash_as_stored_and_write_and_read_rules_for_its_twins_only_never_writing_requests()
    {
        var hash = PasswordHash.Hash("pw", 10);
        var export = MosquittoFiles.Write(
        [
            new DeviceVerifier("wt-02", "wt-02", hash, ["wt-02"], 1),
            new DeviceVerifier("wt-01", "wt-01", hash, ["wt-01", "wt-01-mb"], 3),
        ], "ingress", hash);

        Assert.Equal(2, export.Devices);
        Assert.Equal($"wt-01:{hash}\nwt-02:{hash}\ningress:{hash}\n", export.PasswordFile);
        var acl = export.AclFile.Split('\n');
        var wt01 = Array.IndexOf(acl, "user wt-01");
        Assert.Equal(
        [
            "user wt-01",
            "topic write twins/wt-01/telemetry", "topic write twins/wt-01/properties", "topic write twins/wt-01/replies/#",
            "topic read twins/wt-01/commands/#", "topic read twins/wt-01/desired/#",
            "topic write twins/wt-01-mb/telemetry", "topic write twins/wt-01-mb/properties", "topic write twins/wt-01-mb/replies/#",
            "topic read twins/wt-01-mb/commands/#", "topic read twins/wt-01-mb/desired/#",
            "",
            "user wt-02",
        ], acl[wt01..(wt01 + 13)]);
        // A device never gets to write the request direction of its own twins (commands, the desired document).
        Assert.DoesNotContain(acl, l => l.StartsWith("topic write twins/wt-", StringComparison.Ordinal)
            && (l.EndsWith("/#", StringComparison.Ordinal) && !l.EndsWith("/replies/#", StringComparison.Ordinal) || l.Contains("/commands", StringComparison.Ordinal) || l.Contains("/desired", StringComparison.Ordinal)));
        Assert.Contains("user ingress", acl);
        Assert.Equal("topic read twins/#", acl[Array.IndexOf(acl, "user ingress") + 1]);
        // Its command relay publishes requests and desired documents, and nothing else a device would.
        Assert.Equal(["topic write twins/+/commands/#", "topic write twins/+/desired/#"], acl[(Array.IndexOf(acl, "user ingress") + 2)..(Array.IndexOf(acl, "user ingress") + 4)]);
        Assert.DoesNotContain(acl, l => l.StartsWith("topic readwrite", StringComparison.Ordinal) || l == "topic #");
    }
}
