using System.Diagnostics.CodeAnalysis;

namespace TwinCluster.Wire;

/// <summary>
/// The topics of the way down (docs/wire-format.md, "Commands" and "Desired properties"). A request goes to
/// <c>twins/{id}/commands/{name}/{commandId}</c> (the request id in the topic, for MQTT 3.1.1 devices; MQTT 5 devices
/// also get it as Correlation Data with the Response Topic <c>twins/{id}/replies/{commandId}</c>). The device answers on
/// <c>twins/{id}/replies/{commandId}</c> with a <c>status</c> user property (MQTT 5) or on
/// <c>twins/{id}/replies/{commandId}/{status}</c> (MQTT 3.1.1). Desired properties go, retained, to
/// <c>twins/{id}/desired/document</c>; the device acknowledges them as reported properties.
/// </summary>
public static class CommandTopics
{
    /// <summary>The level under a twin that carries commands (the devices subscribe to it).</summary>
    public const string Commands = "commands";

    /// <summary>The level under a twin that carries desired properties (the devices subscribe to it).</summary>
    public const string Desired = "desired";

    /// <summary>The level under a twin that carries the devices' answers to commands.</summary>
    public const string Replies = "replies";

    /// <summary>The last level of the retained desired-properties document.</summary>
    public const string DesiredDocument = "document";

    /// <summary>The MQTT 5 user property that carries a reply's status.</summary>
    public const string StatusProperty = "status";

    /// <summary>The MQTT 5 user property that carries a request's command name.</summary>
    public const string NameProperty = "name";

    /// <summary>
    /// The MQTT 5 user property with the instant (RFC 3339, UTC) after which a request is void: the same end as its
    /// Message Expiry Interval, stated absolutely. The built-in broker drops a request it has not delivered by then.
    /// </summary>
    public const string ExpiresAtProperty = "expires-at";

    /// <summary>
    /// The MQTT 5 user property present (seconds) when the twin allowed the request to wait for a device session that
    /// is kept but not connected; without it, the built-in broker never keeps a request for such a session.
    /// </summary>
    public const string QueueForProperty = "queue-for";

    /// <summary>The filter the relay subscribes to for replies (all twins).</summary>
    public const string ReplyFilter = "twins/+/" + Replies + "/#";

    /// <summary>Longest command id accepted (it is a topic level).</summary>
    public const int MaxCommandIdLength = 64;

    /// <summary>The request topic.</summary>
    public static string Request(TwinId twin, string name, string commandId) => $"twins/{twin.Value}/{Commands}/{name}/{commandId}";

    /// <summary>The reply topic (MQTT 5 Response Topic).</summary>
    public static string Reply(TwinId twin, string commandId) => $"twins/{twin.Value}/{Replies}/{commandId}";

    /// <summary>The MQTT 3.1.1 reply topic, with the status as the last level.</summary>
    public static string Reply(TwinId twin, string commandId, int status) => $"twins/{twin.Value}/{Replies}/{commandId}/{status}";

    /// <summary>The retained desired-properties document's topic.</summary>
    public static string DesiredTopic(TwinId twin) => $"twins/{twin.Value}/{Desired}/{DesiredDocument}";

    /// <summary>The filter a device of <paramref name="twin"/> subscribes to for its commands.</summary>
    public static string CommandFilter(TwinId twin) => $"twins/{twin.Value}/{Commands}/#";

    /// <summary>The filter a device of <paramref name="twin"/> subscribes to for its desired properties.</summary>
    public static string DesiredFilter(TwinId twin) => $"twins/{twin.Value}/{Desired}/#";

    /// <summary>
    /// True for topics of the way down and of replies (<c>twins/{id}/commands|desired|replies/…</c>): not telemetry,
    /// so the ingress leaves them alone.
    /// </summary>
    public static bool IsCommandTraffic(string? topic)
    {
        if (topic is null || !topic.StartsWith("twins/", StringComparison.Ordinal))
        {
            return false;
        }

        var end = topic.IndexOf('/', 6);
        if (end < 0)
        {
            return false;
        }

        var rest = topic.AsSpan(end + 1);
        var slash = rest.IndexOf('/');
        var level = slash < 0 ? rest : rest[..slash];
        return level.SequenceEqual(Commands) || level.SequenceEqual(Desired) || level.SequenceEqual(Replies);
    }

    /// <summary>True for a request topic's shape, <c>twins/{id}/commands/…</c>, checked without allocating (for broker hooks).</summary>
    public static bool IsRequest(string? topic)
    {
        if (topic is null || !topic.StartsWith("twins/", StringComparison.Ordinal))
        {
            return false;
        }

        var end = topic.IndexOf('/', 6);
        return end > 6 && topic.AsSpan(end + 1).StartsWith(Commands + "/", StringComparison.Ordinal);
    }

    /// <summary>Parses a request topic; never throws.</summary>
    public static bool TryParseRequest(string? topic, out TwinId twin, [NotNullWhen(true)] out string? name, [NotNullWhen(true)] out string? commandId)
    {
        twin = default;
        name = null;
        commandId = null;
        var levels = topic?.Split('/');
        if (levels is not { Length: 5 } || levels[0] != "twins" || levels[2] != Commands || !TwinId.TryParse(levels[1], out twin)
            || levels[3].Length == 0 || CheckCommandId(levels[4]) is not null)
        {
            return false;
        }

        name = levels[3];
        commandId = levels[4];
        return true;
    }

    /// <summary>
    /// Parses a reply topic: the twin, the command id, and the status when the topic carries it (MQTT 3.1.1 form);
    /// a status level that is not a whole number from 100 to 999 makes the topic invalid. Never throws.
    /// </summary>
    public static bool TryParseReply(string? topic, out TwinId twin, [NotNullWhen(true)] out string? commandId, out int? status)
    {
        twin = default;
        commandId = null;
        status = null;
        var levels = topic?.Split('/');
        if (levels is not { Length: 4 or 5 } || levels[0] != "twins" || levels[2] != Replies || !TwinId.TryParse(levels[1], out twin)
            || CheckCommandId(levels[3]) is not null)
        {
            return false;
        }

        if (levels.Length == 5)
        {
            if (!int.TryParse(levels[4], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s) || s is < 100 or > 999)
            {
                return false;
            }

            status = s;
        }

        commandId = levels[3];
        return true;
    }

    /// <summary>Null when <paramref name="commandId"/> is a usable command id (1 to 64 letters, digits, <c>- _ .</c>), else why not.</summary>
    public static string? CheckCommandId(string? commandId)
    {
        if (string.IsNullOrEmpty(commandId) || commandId.Length > MaxCommandIdLength)
        {
            return $"command id must be 1 to {MaxCommandIdLength} characters";
        }

        foreach (var c in commandId)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return $"command id '{commandId}' may hold only letters, digits and - _ . (it is a topic level)";
            }
        }

        return null;
    }
}
