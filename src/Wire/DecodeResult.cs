using System.Diagnostics.CodeAnalysis;

namespace TwinCluster.Wire;

/// <summary>Either a decoded message or the reason it was refused; decoding never throws on bad input.</summary>
public readonly record struct DecodeResult
{
    private DecodeResult(TelemetryMessage? message, Rejection? rejection, long? refusedSeq = null)
    {
        Message = message;
        Rejection = rejection;
        RefusedSeq = refusedSeq;
    }

    /// <summary>
    /// For a refusal of a message that decoded (bad values, timestamp, schema): its seq, which the device has used, so
    /// the twin need not wait for it. Null when the seq is unknown or not the twin's to skip.
    /// </summary>
    public long? RefusedSeq { get; }

    /// <summary>The message, when decoding succeeded.</summary>
    public TelemetryMessage? Message { get; }

    /// <summary>The rejection, when it did not.</summary>
    public Rejection? Rejection { get; }

    /// <summary>True when <see cref="Message"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Message))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool IsSuccess => Message is not null;

    /// <summary>A success.</summary>
    public static DecodeResult Success(TelemetryMessage message) => new(message ?? throw new ArgumentNullException(nameof(message)), null);

    /// <summary>A refusal.</summary>
    public static DecodeResult Fail(Rejection rejection) => new(null, rejection ?? throw new ArgumentNullException(nameof(rejection)));

    /// <summary>A refusal.</summary>
    public static DecodeResult Fail(DeadLetterReason reason, string message) => new(null, new Rejection(reason, message));

    /// <summary>A refusal of a decoded message whose seq the device has used (see <see cref="RefusedSeq"/>).</summary>
    public static DecodeResult Refuse(Rejection rejection, long seq) =>
        new(null, rejection ?? throw new ArgumentNullException(nameof(rejection)), seq);

    /// <summary>A success or a refusal.</summary>
    public static implicit operator DecodeResult(Rejection rejection) => Fail(rejection);

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? $"ok seq {Message.Seq}" : Rejection.ToString();
}
