using System.Text;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Security;

/// <summary>
/// Writes Mosquitto 2.0's <c>password_file</c> (<c>user:$7$…</c> lines, the hashes as stored) and <c>acl_file</c>
/// (a <c>user</c> line, then <c>topic write|read</c> lines per user), granting each device what
/// <see cref="DeviceTopics"/> grants on the built-in broker.
/// </summary>
public static class MosquittoFiles
{
    /// <summary>The export of <paramref name="devices"/> (active ones only) plus an optional reading service user.</summary>
    public static MosquittoExport Write(IEnumerable<DeviceVerifier> devices, string? serviceUser = null, string? serviceHash = null)
    {
        var passwords = new StringBuilder();
        var acl = new StringBuilder();
        acl.Append("# TwinCluster devices: each publishes only its own twins' telemetry, properties and replies, and reads only their commands and desired properties.\n");
        var count = 0;
        foreach (var device in devices.OrderBy(d => d.Username, StringComparer.Ordinal))
        {
            passwords.Append(device.Username).Append(':').Append(device.PasswordHash).Append('\n');
            acl.Append('\n').Append("user ").Append(device.Username).Append('\n');
            foreach (var twin in device.Twins)
            {
                // Never twins/{twin}/# for writing: commands and desired carry requests to the device, only the relay sends there.
                foreach (var level in DeviceTopics.PublishLevels)
                {
                    acl.Append("topic write twins/").Append(twin).Append('/').Append(level).Append('\n');
                }

                acl.Append("topic write twins/").Append(twin).Append('/').Append(DeviceTopics.Replies).Append("/#\n");
                acl.Append("topic read twins/").Append(twin).Append('/').Append(DeviceTopics.Commands).Append("/#\n");
                acl.Append("topic read twins/").Append(twin).Append('/').Append(DeviceTopics.Desired).Append("/#\n");
            }

            count++;
        }

        if (serviceUser is not null && serviceHash is not null)
        {
            passwords.Append(serviceUser).Append(':').Append(serviceHash).Append('\n');
            acl.Append("\n# The ingress: reads every twin's topics (also through shared subscriptions); its relay sends commands and desired properties.\n");
            acl.Append("user ").Append(serviceUser).Append('\n');
            acl.Append("topic read twins/#\n");
            acl.Append("topic write twins/+/").Append(DeviceTopics.Commands).Append("/#\n");
            acl.Append("topic write twins/+/").Append(DeviceTopics.Desired).Append("/#\n");
        }

        return new MosquittoExport(passwords.ToString(), acl.ToString(), count);
    }
}
