namespace TwinCluster.Integration.Tests.Infrastructure;

/// <summary>The settings a test broker is started with; the defaults suit a high-rate ingress subscriber.</summary>
public sealed record MosquittoBrokerOptions
{
    /// <summary>
    /// <c>max_inflight_messages</c>: unacknowledged QoS 1/2 messages the broker sends a client that did not ask for a
    /// receive maximum (an MQTT 5 client that sends one gets its own value instead; see MosquittoBrokerTests). Also the
    /// receive maximum the broker announces to publishers. Mosquitto's default is 20; 0 means no limit.
    /// </summary>
    public int MaxInflightMessages { get; init; } = 1000;

    /// <summary>
    /// <c>max_queued_messages</c>: QoS 1/2 messages queued per client beyond the in-flight ones, also while a persistent
    /// session is offline; further ones are dropped silently. Mosquitto's default is 1,000. Deliberately large rather
    /// than 0 ("no maximum"): in the 2.0 series 0 has been reported to drop messages (eclipse/mosquitto#1956, #2879).
    /// </summary>
    public int MaxQueuedMessages { get; init; } = 1_000_000;

    /// <summary><c>max_packet_size</c> in bytes (unlimited in Mosquitto unless set).</summary>
    public int MaxPacketSize { get; init; } = 2 * 1024 * 1024;

    /// <summary>
    /// <c>autosave_interval</c> in seconds: how much a SIGKILL can lose. A graceful stop always saves.
    /// Mosquitto's default is 1,800.
    /// </summary>
    public int AutosaveIntervalSeconds { get; init; } = 1;

    /// <summary>
    /// A <c>password_file</c> to use (for example from <c>twin devices export --mosquitto</c>); null: the broker makes
    /// its own with one user, <see cref="Username"/> (default <c>twincluster-test</c>) and a random password. The broker
    /// always runs with <c>allow_anonymous false</c>.
    /// </summary>
    public string? PasswordFile { get; init; }

    /// <summary>An <c>acl_file</c>; null: every signed-in user may use every topic.</summary>
    public string? AclFile { get; init; }

    /// <summary>The user the readiness probe and the tests' own clients sign in as (with <see cref="PasswordFile"/>, one of its users).</summary>
    public string Username { get; init; } = "twincluster-test";

    /// <summary>That user's password; null with no <see cref="PasswordFile"/> means a random one.</summary>
    public string? Password { get; init; }
}
