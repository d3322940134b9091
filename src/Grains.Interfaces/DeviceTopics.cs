namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// The MQTT topics of a device's twins: it publishes under <c>twins/{id}/…</c> (telemetry, properties) and
/// subscribes only to <c>twins/{id}/commands/#</c> and <c>twins/{id}/desired/#</c>. The built-in broker and the
/// Mosquitto ACL export both follow these rules.
/// </summary>
public static class DeviceTopics
{
    /// <summary>The level under a twin that carries commands to the device.</summary>
    public const string Commands = "commands";

    /// <summary>The level under a twin that carries desired properties to the device.</summary>
    public const string Desired = "desired";

    /// <summary>The twin a publish topic belongs to (<c>twins/{id}/…</c>), or null.</summary>
    public static string? TwinOf(string topic)
    {
        if (!topic.StartsWith("twins/", StringComparison.Ordinal))
        {
            return null;
        }

        var end = topic.IndexOf('/', 6);
        return end <= 6 ? null : topic[6..end];
    }

    /// <summary>True when a device of <paramref name="twins"/> may publish to <paramref name="topic"/>.</summary>
    public static bool MayPublish(IReadOnlyCollection<string> twins, string topic) =>
        topic.IndexOfAny(['+', '#']) < 0 && TwinOf(topic) is { } twin && twins.Contains(twin);

    /// <summary>
    /// True when a device of <paramref name="twins"/> may subscribe to <paramref name="filter"/>: the filter names
    /// one of its twins literally and stays under its <c>commands</c> or <c>desired</c> level.
    /// </summary>
    public static bool MaySubscribe(IReadOnlyCollection<string> twins, string filter)
    {
        var levels = filter.Split('/');
        return levels.Length >= 3
            && levels[0] == "twins"
            && twins.Contains(levels[1])
            && levels[2] is Commands or Desired;
    }
}
