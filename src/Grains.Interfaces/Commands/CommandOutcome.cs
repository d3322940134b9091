namespace TwinCluster.Grains.Interfaces;

/// <summary>How a command ended, as the caller sees it. Stable names: the CLI and the API print them.</summary>
public enum CommandOutcome
{
    /// <summary>The device answered with a success status (2xx) and a payload that fits the response schema.</summary>
    Answered = 0,

    /// <summary>The device answered with a failure status (400 and up): it refused or could not do it.</summary>
    Refused = 1,

    /// <summary>
    /// No connected device session receives the twin's commands (none subscribes; or, on the built-in broker, its
    /// session is kept but not connected and the command was not queued); nothing was sent.
    /// </summary>
    Offline = 2,

    /// <summary>
    /// Sent, and no answer came within the timeout (the device may still do it, once). A queued command's later answer,
    /// while the broker still keeps it, replaces this outcome in the twin's commands; past that it becomes <see cref="Expired"/>.
    /// </summary>
    TimedOut = 3,

    /// <summary>The device answered, but its payload does not fit the command's response schema.</summary>
    InvalidResponse = 4,

    /// <summary>No relay to a broker is registered (no ingress runs), or the broker refused the request.</summary>
    Unavailable = 5,

    /// <summary>
    /// A queued command (<see cref="CommandOptions.QueueFor"/>) that timed out and was not answered before its queueing
    /// ended: the broker dropped the request undelivered, so the device never did it.
    /// </summary>
    Expired = 6,
}
