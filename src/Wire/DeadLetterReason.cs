namespace TwinCluster.Wire;

/// <summary>
/// Why a message went to the dead-letter store. Each value has a stable string code
/// (<see cref="DeadLetterReasonCodes.ToCode"/>) that is stored and counted; never renumber or rename.
/// </summary>
public enum DeadLetterReason
{
    /// <summary><c>unknown-twin</c>: the topic's twin does not exist.</summary>
    UnknownTwin = 1,

    /// <summary><c>twin-mismatch</c>: the payload names another twin than the topic.</summary>
    TwinMismatch = 2,

    /// <summary><c>malformed-json</c>: not valid JSON, or valid JSON that is not a telemetry message.</summary>
    MalformedJson = 3,

    /// <summary><c>malformed-binary</c>: a binary block that breaks the layout.</summary>
    MalformedBinary = 4,

    /// <summary><c>unknown-telemetry</c>: a channel that the twin's model does not declare as telemetry.</summary>
    UnknownTelemetry = 5,

    /// <summary><c>schema-mismatch</c>: a value that the telemetry's schema does not accept.</summary>
    SchemaMismatch = 6,

    /// <summary><c>unit-mismatch</c>: a unit other than the modelled one.</summary>
    UnitMismatch = 7,

    /// <summary><c>non-finite</c>: NaN or ±Infinity in a sample or the sample rate.</summary>
    NonFinite = 8,

    /// <summary><c>timestamp-future</c>: the timestamp is further ahead than the allowed skew.</summary>
    TimestampFuture = 9,

    /// <summary><c>timestamp-past</c>: the timestamp is older than the allowed age.</summary>
    TimestampPast = 10,

    /// <summary><c>too-large</c>: the payload, channel count or sample count is over its limit.</summary>
    TooLarge = 11,

    /// <summary><c>duplicate-seq</c>: this twin's <c>seq</c> was already applied.</summary>
    DuplicateSeq = 12,

    /// <summary><c>unsupported-content-type</c>: an MQTT 5 content type that names no known format.</summary>
    UnsupportedContentType = 13,

    /// <summary><c>invalid-topic</c>: a topic that is not <c>twins/{twinId}/telemetry|properties</c>.</summary>
    InvalidTopic = 14,

    /// <summary><c>unknown-format</c>: no content type, and the payload starts with neither the binary magic nor <c>{</c>.</summary>
    UnknownFormat = 15,

    /// <summary><c>not-authorized</c>: a device published to a topic of a twin it has no credential for.</summary>
    NotAuthorized = 16,
}
