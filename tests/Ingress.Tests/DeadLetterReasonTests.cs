using TwinCluster.Wire;

namespace TwinCluster.Ingress.Tests;

public sealed class DeadLetterReasonTests
{
    [Fact]
    public void Every_reason_has_a_distinct_code_that_parses_back()
    {
        var all = Enum.GetValues<DeadLetterReason>();
        Assert.Equal(all.Length, DeadLetterReasonCodes.All.Count);
        var codes = all.Select(r => r.ToCode()).ToList();
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        foreach (var reason in all)
        {
            Assert.True(DeadLetterReasonCodes.TryParse(reason.ToCode(), out var back));
            Assert.Equal(reason, back);
        }
    }

    [Theory]
    [InlineData(DeadLetterReason.UnknownTwin, "unknown-twin")]
    [InlineData(DeadLetterReason.TwinMismatch, "twin-mismatch")]
    [InlineData(DeadLetterReason.MalformedJson, "malformed-json")]
    [InlineData(DeadLetterReason.MalformedBinary, "malformed-binary")]
    [InlineData(DeadLetterReason.UnknownTelemetry, "unknown-telemetry")]
    [InlineData(DeadLetterReason.SchemaMismatch, "schema-mismatch")]
    [InlineData(DeadLetterReason.UnitMismatch, "unit-mismatch")]
    [InlineData(DeadLetterReason.NonFinite, "non-finite")]
    [InlineData(DeadLetterReason.TimestampFuture, "timestamp-future")]
    [InlineData(DeadLetterReason.TimestampPast, "timestamp-past")]
    [InlineData(DeadLetterReason.TooLarge, "too-large")]
    [InlineData(DeadLetterReason.DuplicateSeq, "duplicate-seq")]
    [InlineData(DeadLetterReason.UnsupportedContentType, "unsupported-content-type")]
    public void Codes_are_the_documented_stable_strings(DeadLetterReason reason, string code)
    {
        Assert.Equal(code, reason.ToCode());
    }
}
