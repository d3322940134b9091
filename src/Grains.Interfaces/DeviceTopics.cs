namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// The MQTT topics of a device's twins: it publishes under <c>twins/{id}/…</c> (telemetry, properties with the
/// acknowledgements of desired ones, replies to commands) but never on the request direction (<c>commands</c>,
/// <c>desired</c>: only the twins' relay sends there), and subscribes only to <c>twins/{id}/commands/#</c> and
/// <c>twins/{id}/desired/#</c>. The built-in broker and the Mosquitto ACL export both follow these rules.
/// </summary>
public static class DeviceTopics
{
    /// <summary>The level under a twin that carries commands to the device.</summary>
    public const string Commands = "commands";

    /// <summary>The level under a twin that carries desired properties to the device.</summary>
    public const string Desired = "desired";

    /// <summary>The level under a twin that carries the device's answers to commands.</summary>
    public const string Replies = "replies";

    /// <summary>The levels under a twin a device publishes on, besides <see cref="Replies"/><c>/…</c>.</summary>
    public static readonly IReadOnlyList<string> PublishLevels = ["telemetry", "properties"];

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

    /// <summary>
    /// True when a device of <paramref name="twins"/> may publish to <paramref name="topic"/>: under one of its twins,
    /// on <c>telemetry</c>, <c>properties</c> (reported values and acknowledgements of desired ones) or
    /// <c>replies/…</c> (answers to commands). Never on the request direction (<c>commands</c>, <c>desired</c>), which
    /// would reach the twin's other subscribers as if the twin had sent it, or replace its retained desired document.
    /// </summary>
    public static bool MayPublish(IReadOnlyCollection<string> twins, string topic)
    {
        if (topic.IndexOfAny(['+', '#']) >= 0 || TwinOf(topic) is not { } twin || !twins.Contains(twin))
        {
            return false;
        }

        var level = topic.AsSpan(7 + twin.Length);
        foreach (var allowed in PublishLevels)
        {
            if (level.SequenceEqual(allowed))
            {
                return true;
            }
        }

        return level.Length > Replies.Length + 1 && level.StartsWith(Replies, StringComparison.Ordinal) && level[Replies.Length] == '/';
    }

    /// <summary>Why a device of <paramref name="twins"/> may not publish to <paramref name="topic"/> (for its dead letter).</summary>
    public static string PublishRefusal(IReadOnlyCollection<string> twins, string topic) =>
        TwinOf(topic) is { } twin && twins.Contains(twin)
            ? $"a device publishes under twins/{twin}/ only on {string.Join(", ", PublishLevels)} and {Replies}/… ({Commands} and {Desired} carry requests to it)"
            : $"may publish only for {string.Join(", ", twins)}";

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
