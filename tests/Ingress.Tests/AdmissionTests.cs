using System.Buffers;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Ingress.Admission;
using TwinCluster.Ingress.Pipeline;
using TwinCluster.Ingress.Storage;
using TwinCluster.Ingress.Tests.Pipeline;
using TwinCluster.Wire;
using TwinCluster.Modeling;

namespace TwinCluster.Ingress.Tests;

/// <summary>Every dead-letter reason, produced through the whole chain of checks.</summary>
public sealed class AdmissionTests
{
    private const string Bearing = """
        {"@context":["dtmi:dtdl:context;3","dtmi:dtdl:extension:quantitativeTypes;1"],"@id":"dtmi:test:Bearing;1","@type":"Interface",
         "contents":[
           {"@type":["Telemetry","Acceleration"],"name":"vibration","schema":"double","unit":"gForce"},
           {"@type":"Telemetry","name":"pulses","schema":"integer"}]}
        """;

    private static readonly ModelSet Models = new ModelParser().Parse(Bearing).Models!;
    private static readonly string Topic = TelemetryTopic.Format(Samples.Twin, TopicKind.Telemetry);

    private readonly TelemetryAdmission _admission = new(IngressLimits.Default with { MaxPayloadBytes = 64 * 1024 });

    private DecodeResult Admit(string payload, string? contentType = null, string? topic = null) =>
        Admit(Samples.Utf8(payload), contentType, topic);

    // As the pipeline does it: the topic parsed once, the twin's model looked up once, then the payload checks.
    private DecodeResult Admit(byte[] payload, string? contentType = null, string? topic = null) =>
        TelemetryAdmission.ParseTopic(topic ?? Topic, out var parsed) is { } invalid
            ? invalid
            : _admission.Admit(parsed, parsed.TwinId == Samples.Twin ? Models.Find("dtmi:test:Bearing;1") : null, Models,
                new ReadOnlySequence<byte>(payload), contentType, Samples.Now);

    private static string Msg(string values, long seq = 1, string ts = "2026-11-25T17:59:00Z", string extra = "") =>
        $$"""{"seq":{{seq}},"ts":"{{ts}}","values":{{values}}{{extra}}}""";

    // not-authorized comes from the broker's publish check (a device outside its twins), not from admission.
    public static TheoryData<DeadLetterReason> AllReasons => [.. Enum.GetValues<DeadLetterReason>().Where(r => r != DeadLetterReason.NotAuthorized)];

    [Theory]
    [MemberData(nameof(AllReasons))]
    public async Task Every_reason_is_produced_by_some_bad_input(DeadLetterReason reason)
    {
        var result = reason switch
        {
            DeadLetterReason.UnknownTwin => Admit(Msg("""{"vibration":1}"""), topic: "twins/nobody/telemetry"),
            DeadLetterReason.TwinMismatch => Admit(Msg("""{"vibration":1}""", extra: ""","twin":"other" """)),
            DeadLetterReason.MalformedJson => Admit("""{"seq":1,"ts":""", ContentTypes.Json),
            DeadLetterReason.MalformedBinary => Admit(Samples.BlockBytes()[..40]),
            DeadLetterReason.UnknownTelemetry => Admit(Msg("""{"noise":[1,2]}""")),
            DeadLetterReason.SchemaMismatch => Admit(Msg("""{"pulses":[1,2.5]}""")),
            DeadLetterReason.UnitMismatch => Admit(Msg("""{"vibration":1}""", extra: ""","units":{"vibration":"metre"}""")),
            DeadLetterReason.NonFinite => Admit(Msg("""{"vibration":[1,NaN]}""")),
            DeadLetterReason.TimestampFuture => Admit(Msg("""{"vibration":1}""", ts: "2026-11-26T18:00:00Z")),
            DeadLetterReason.TimestampPast => Admit(Msg("""{"vibration":1}""", ts: "2026-01-01T00:00:00Z")),
            DeadLetterReason.TooLarge => Admit(Samples.BlockBytes(samples: 20_000)),
            DeadLetterReason.DuplicateSeq => await Duplicate(),
            DeadLetterReason.UnsupportedContentType => Admit(Msg("""{"vibration":1}"""), "text/csv"),
            DeadLetterReason.InvalidTopic => Admit(Msg("""{"vibration":1}"""), topic: "twins/wt-01-mb/properties"),
            DeadLetterReason.UnknownFormat => Admit("seq=1"),
            _ => throw new InvalidOperationException($"no case for {reason}"),
        };
        Assert.False(result.IsSuccess, reason.ToString());
        Assert.Equal(reason, result.Rejection.Reason);
    }

    // Duplicates are judged by the telemetry log (exact (twin, seq) keys), so this one goes through the pipeline.
    private static async Task<DecodeResult> Duplicate()
    {
        var deadLetters = new InMemoryDeadLetterStore();
        await using var pipeline = new IngressPipeline(PipelineParts.Options(), new InMemoryTelemetryLog(), deadLetters,
            new TwinDirectory(Samples.Twin), new RecordingSink(), time: new StoppedClock());
        pipeline.Start();
        var first = await pipeline.SubmitAsync(PipelineParts.Telemetry(Samples.Twin, 5), TestContext.Current.CancellationToken);
        Assert.Equal(IngressVerdict.Accepted, await first.WaitAsync(PipelineParts.WaitLimit, TestContext.Current.CancellationToken));
        var again = await pipeline.SubmitAsync(PipelineParts.Telemetry(Samples.Twin, 5), TestContext.Current.CancellationToken);
        await again.WaitAsync(PipelineParts.WaitLimit, TestContext.Current.CancellationToken);
        var letter = (await deadLetters.ListAsync(new DeadLetterQuery(), TestContext.Current.CancellationToken)).Items.Single();
        return DecodeResult.Fail(letter.Reason, letter.Message);
    }

    [Fact]
    public void A_good_message_passes_and_a_bad_one_does_not_hold_up_the_next()
    {
        Assert.True(Admit(Msg("""{"vibration":1}""", seq: 1)).IsSuccess);
        Assert.False(Admit(Msg("""{"vibration":[1,NaN]}""", seq: 2)).IsSuccess);
        var next = Admit(Samples.BlockBytes(seq: 2));
        Assert.True(next.IsSuccess, next.ToString());
    }

    [Fact]
    public void Invalid_limits_are_refused_when_the_checks_are_built()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TelemetryAdmission(IngressLimits.Default with { MaxChannels = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TelemetryAdmission(IngressLimits.Default with { MaxPastAge = TimeSpan.FromSeconds(-1) }));
    }

    [Fact]
    public void An_unknown_twin_is_refused_before_its_payload_is_decoded()
    {
        var other = new TwinId("wt-99");
        var result = Admit("not even json", topic: TelemetryTopic.Format(other, TopicKind.Telemetry));
        Assert.Equal(DeadLetterReason.UnknownTwin, result.Rejection!.Reason);
        Assert.Contains("wt-99", result.Rejection.Message, StringComparison.Ordinal);
    }
}
