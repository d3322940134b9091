using System.Diagnostics.CodeAnalysis;

namespace TwinCluster.Ingress.Wire;

/// <summary>Either a decoded message or the reason it was refused; decoding never throws on bad input.</summary>
public readonly record struct DecodeResult
{
    private DecodeResult(TelemetryMessage? message, Rejection? rejection)
    {
        Message = message;
        Rejection = rejection;
    }

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

    /// <summary>A success or a refusal.</summary>
    public static implicit operator DecodeResult(Rejection rejection) => Fail(rejection);

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? $"ok seq {Message.Seq}" : Rejection.ToString();
}
