namespace TwinCluster.Wire;

/// <summary>A refused message: the reason (with its stable code) and a message that names the offending field.</summary>
public sealed record Rejection(DeadLetterReason Reason, string Message)
{
    /// <summary>The reason's stable code, e.g. <c>schema-mismatch</c>.</summary>
    public string Code => Reason.ToCode();

    /// <inheritdoc />
    public override string ToString() => $"{Code}: {Message}";
}
