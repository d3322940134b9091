using TwinCluster.Grains.Interfaces;
using TwinCluster.Ingress.Pipeline;
using TwinCluster.Ingress.Storage;
using TwinCluster.Wire;
using static TwinCluster.Ingress.Tests.Pipeline.PipelineParts;

namespace TwinCluster.Ingress.Tests.Pipeline;

public sealed class IngressPipelineTests
{
    private static readonly TwinId Pump1 = new("pump-1");
    private static readonly TwinId Pump2 = new("pump-2");

    private readonly InMemoryTelemetryLog _log = new();
    private readonly InMemoryDeadLetterStore _deadLetters = new();
    private readonly RecordingSink _sink = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IngressPipeline Create(IngressPipelineOptions? options = null, ITelemetryLog? log = null, IReportedPropertySink? properties = null) =>
        new(options ?? Options(), log ?? _log, _deadLetters, new TwinDirectory(Pump1, Pump2), _sink, properties, time: new StoppedClock());

    // Submitted before Start, so they form one batch (the pipeline reads up to MaxBatch at a time).
    private static async Task<List<Task<IngressVerdict>>> SubmitAll(IngressPipeline pipeline, params InboundMessage[] messages)
    {
        var verdicts = new List<Task<IngressVerdict>>();
        foreach (var message in messages)
        {
            verdicts.Add(await pipeline.SubmitAsync(message, Ct));
        }

        return verdicts;
    }

    private static Task<IngressVerdict[]> All(IEnumerable<Task<IngressVerdict>> verdicts) => Task.WhenAll(verdicts).WaitAsync(WaitLimit, Ct);

    private async Task<IReadOnlyList<DeadLetter>> DeadLetters() => (await _deadLetters.ListAsync(new DeadLetterQuery(), Ct)).Items;

    [Fact]
    public async Task Good_messages_are_logged_and_published_per_twin_in_seq_order()
    {
        await using var pipeline = Create();
        var verdicts = await SubmitAll(pipeline,
            Telemetry(Pump1, 3), Telemetry(Pump2, 2), Telemetry(Pump1, 1), Telemetry(Pump2, 1), Telemetry(Pump1, 2));

        pipeline.Start();

        Assert.All(await All(verdicts), v => Assert.Equal(IngressVerdict.Accepted, v));
        Assert.Equal(2, _sink.Published.Count);
        Assert.Equal([1L, 2L, 3L], _sink.SeqsOf(Pump1));
        Assert.Equal([1L, 2L], _sink.SeqsOf(Pump2));
        var record = _sink.Published.Single(b => b.TwinId == Pump1.Value).Records[0];
        Assert.Equal([0.5f, -0.25f, 1f], record.Channels.Single(c => c.Name == "vibration").Samples!);
        Assert.Equal(Samples.Now.UtcDateTime, record.AcceptedAtUtc);
        Assert.Equal([1L, 2L, 3L], (await _log.ReadAsync(Pump1, 0, 10, Ct)).Select(m => m.Seq));
        Assert.Equal([1L, 2L], (await _log.ReadAsync(Pump2, 0, 10, Ct)).Select(m => m.Seq));
        Assert.Empty(await DeadLetters());
        Assert.Equal(5, pipeline.Metrics.Accepted);
    }

    [Fact]
    public async Task A_verdict_is_accepted_only_after_the_sink_has_the_message()
    {
        _sink.Hold();
        await using var pipeline = Create();
        var verdicts = await SubmitAll(pipeline, Telemetry(Pump1, 1), Telemetry(Pump1, 2));
        pipeline.Start();

        await _sink.Entered.WaitAsync(WaitLimit, Ct);
        // Logged, but the sink has not finished taking them: the transport may not acknowledge yet.
        Assert.Equal(2, _log.Count);
        Assert.All(verdicts, v => Assert.False(v.IsCompleted));

        _sink.Release();
        Assert.All(await All(verdicts), v => Assert.Equal(IngressVerdict.Accepted, v));
        Assert.Equal([1L, 2L], _sink.SeqsOf(Pump1));
    }

    [Fact]
    public async Task A_bad_message_is_dead_lettered_and_does_not_hold_back_the_good_ones_in_its_batch()
    {
        await using var pipeline = Create();
        var bad = Telemetry(Pump1, 2, """{"noise":[1,2]}""");
        var verdicts = await SubmitAll(pipeline,
            Telemetry(Pump1, 1), bad, Telemetry(Pump1, 3), Telemetry(new TwinId("nobody"), 1),
            Telemetry(Pump1, 4) with { Topic = "twins/pump-1/status" });

        pipeline.Start();

        Assert.Equal(
            [IngressVerdict.Accepted, IngressVerdict.Rejected, IngressVerdict.Accepted, IngressVerdict.Rejected, IngressVerdict.Rejected],
            await All(verdicts));
        Assert.Equal([1L, 3L], _sink.SeqsOf(Pump1));
        Assert.Equal([2L], _sink.RefusedSeqsOf(Pump1));   // the twin is told not to wait for the refused seq
        Assert.Equal([1L, 3L], (await _log.ReadAsync(Pump1, 0, 10, Ct)).Select(m => m.Seq));

        var letters = await DeadLetters();
        Assert.Equal(3, letters.Count);
        var unknownTelemetry = Assert.Single(letters, l => l.Reason == DeadLetterReason.UnknownTelemetry);
        Assert.Equal(Pump1, unknownTelemetry.TwinId);
        Assert.Equal(bad.Topic, unknownTelemetry.Topic);
        Assert.Contains("noise", unknownTelemetry.Message, StringComparison.Ordinal);
        Assert.Equal(bad.Payload.ToArray(), unknownTelemetry.PayloadPrefix.ToArray());
        Assert.Equal(bad.Payload.Length, unknownTelemetry.Size);
        Assert.Equal(new TwinId("nobody"), Assert.Single(letters, l => l.Reason == DeadLetterReason.UnknownTwin).TwinId);
        var invalidTopic = Assert.Single(letters, l => l.Reason == DeadLetterReason.InvalidTopic);
        Assert.Null(invalidTopic.TwinId);
        Assert.Equal("twins/pump-1/status", invalidTopic.Topic);
        Assert.Equal(3, pipeline.Metrics.Rejected);
    }

    [Fact]
    public async Task A_rejected_message_is_final_while_good_ones_still_wait_for_the_sink()
    {
        _sink.Hold();
        await using var pipeline = Create();
        var verdicts = await SubmitAll(pipeline, Telemetry(Pump1, 1), Telemetry(Pump1, 2, """{"vibration":"loud"}"""));
        pipeline.Start();

        Assert.Equal(IngressVerdict.Rejected, await verdicts[1].WaitAsync(WaitLimit, Ct));
        Assert.False(verdicts[0].IsCompleted);

        _sink.Release();
        Assert.Equal(IngressVerdict.Accepted, await verdicts[0].WaitAsync(WaitLimit, Ct));
    }

    [Fact]
    public async Task A_seq_already_in_the_log_is_a_duplicate_and_is_not_published_again()
    {
        await _log.AppendAsync([Logged(Pump1, 5)], Ct);
        await using var pipeline = Create();
        var verdicts = await SubmitAll(pipeline, Telemetry(Pump1, 5), Telemetry(Pump1, 6), Telemetry(Pump1, 6));

        pipeline.Start();

        // The second 6 repeats one earlier in the same batch: the log takes the first only.
        Assert.Equal([IngressVerdict.Duplicate, IngressVerdict.Accepted, IngressVerdict.Duplicate], await All(verdicts));
        Assert.Equal([6L], _sink.SeqsOf(Pump1));
        var letters = await DeadLetters();
        Assert.Equal(2, letters.Count);
        Assert.All(letters, l => Assert.Equal(DeadLetterReason.DuplicateSeq, l.Reason));
        Assert.All(letters, l => Assert.Equal(Pump1, l.TwinId));
        Assert.Contains(letters, l => l.Message.Contains("seq 5", StringComparison.Ordinal));
        // The logged copy of seq 5 is the earlier one, not overwritten.
        Assert.Equal(1.0, (await _log.ReadAsync(Pump1, 5, 5, Ct)).Single().Channels[0].Values.Span[0]);
        Assert.Equal(2, pipeline.Metrics.Duplicates);
        Assert.Equal(1, pipeline.Metrics.Accepted);
    }

    [Fact]
    public async Task A_redelivered_message_after_acceptance_is_a_duplicate()
    {
        await using var pipeline = Create();
        pipeline.Start();

        var first = await pipeline.SubmitAsync(Telemetry(Pump1, 1), Ct);
        Assert.Equal(IngressVerdict.Accepted, await first.WaitAsync(WaitLimit, Ct));
        var again = await pipeline.SubmitAsync(Telemetry(Pump1, 1), Ct);

        Assert.Equal(IngressVerdict.Duplicate, await again.WaitAsync(WaitLimit, Ct));
        Assert.Equal([1L], _sink.SeqsOf(Pump1));
    }

    [Fact]
    public async Task SubmitAsync_waits_when_the_pipeline_is_full_and_nothing_is_final_until_the_sink_takes_it()
    {
        const int capacity = 3;
        // MaxBatch 1: besides the Capacity queued messages, the stages hold one each: the batch being published,
        // two staged batches (the channel between the stages holds 2) and the one admitted batch waiting to be staged.
        const int inStages = 4;
        _sink.Hold();
        await using var pipeline = Create(Options(maxBatch: 1, capacity: capacity));
        pipeline.Start();

        var verdicts = new List<Task<IngressVerdict>>();
        for (var seq = 1; seq <= capacity + inStages; seq++)
        {
            verdicts.Add(await pipeline.SubmitAsync(Telemetry(Pump1, seq), Ct).AsTask().WaitAsync(WaitLimit, Ct));
        }

        await _sink.Entered.WaitAsync(WaitLimit, Ct);
        var next = pipeline.SubmitAsync(Telemetry(Pump1, capacity + inStages + 1), Ct);

        Assert.False(next.IsCompleted, "SubmitAsync completed although the pipeline was full");
        Assert.All(verdicts, v => Assert.False(v.IsCompleted));
        Assert.Empty(_sink.Published);

        _sink.Release();
        verdicts.Add(await next.AsTask().WaitAsync(WaitLimit, Ct));
        Assert.All(await All(verdicts), v => Assert.Equal(IngressVerdict.Accepted, v));
        Assert.Equal(Enumerable.Range(1, capacity + inStages + 1).Select(s => (long)s), _sink.SeqsOf(Pump1));
    }

    [Fact]
    public async Task A_failing_log_append_is_retried_and_nothing_is_acknowledged_before_it_succeeds()
    {
        var (flaky, log) = FlakyTelemetryLog.Wrap(_log, failures: 3);
        await using var pipeline = Create(log: flaky);
        var verdicts = await SubmitAll(pipeline, Telemetry(Pump1, 1), Telemetry(Pump2, 1));
        var finalAtAttempt = new List<bool>();
        log.OnAttempt = () => finalAtAttempt.Add(verdicts.Any(v => v.IsCompleted) || _sink.Published.Count > 0);

        pipeline.Start();

        Assert.All(await All(verdicts), v => Assert.Equal(IngressVerdict.Accepted, v));
        Assert.Equal(4, log.Attempts);
        Assert.Equal([false, false, false, false], finalAtAttempt);
        Assert.Equal(2, _log.Count);
        Assert.Equal([1L], _sink.SeqsOf(Pump1));
        Assert.Equal([1L], _sink.SeqsOf(Pump2));
        Assert.Empty(await DeadLetters());
    }

    [Fact]
    public async Task Stopping_with_a_cancelled_token_cancels_the_verdicts_that_are_not_final()
    {
        _sink.Hold();
        var pipeline = Create();
        var verdicts = await SubmitAll(pipeline, Telemetry(Pump1, 1), Telemetry(Pump1, 2));
        var rejected = verdicts.Count;
        verdicts.AddRange(await SubmitAll(pipeline, Telemetry(Pump1, 3, """{"noise":1}""")));
        pipeline.Start();
        await _sink.Entered.WaitAsync(WaitLimit, Ct);

        await pipeline.StopAsync(new CancellationToken(canceled: true)).WaitAsync(WaitLimit, Ct);

        // Logged but not handed on: cancelled, so the transport does not acknowledge and the broker sends them again.
        Assert.All(verdicts[..rejected], v => Assert.True(v.IsCanceled, $"verdict is {v.Status}"));
        Assert.Equal(IngressVerdict.Rejected, await verdicts[rejected]);
        Assert.Empty(_sink.Published);
        await pipeline.DisposeAsync();
    }

    /// <summary>The sink holds the first batch, 12 messages are submitted, then the pipeline is stopped with a cancelled token.</summary>
    private async Task<(IngressPipeline Pipeline, List<Task<IngressVerdict>> Verdicts)> TwelveSubmittedThenStoppedWithACancelledToken()
    {
        _sink.Hold();
        var pipeline = Create(Options(maxBatch: 1, capacity: 8));
        pipeline.Start();
        var verdicts = new List<Task<IngressVerdict>>();
        for (var seq = 1; seq <= 12; seq++)
        {
            verdicts.Add(await pipeline.SubmitAsync(Telemetry(Pump1, seq), Ct).AsTask().WaitAsync(WaitLimit, Ct));
        }

        await _sink.Entered.WaitAsync(WaitLimit, Ct);
        await pipeline.StopAsync(new CancellationToken(canceled: true)).WaitAsync(WaitLimit, Ct);
        return (pipeline, verdicts);
    }

    [Fact]
    public async Task Stopping_with_a_cancelled_token_cancels_messages_still_queued()
    {
        var (pipeline, verdicts) = await TwelveSubmittedThenStoppedWithACancelledToken();

        // The last ones never left the input queue.
        Assert.All(verdicts[^8..], v => Assert.True(v.IsCanceled, $"verdict is {v.Status}"));
        await Assert.ThrowsAnyAsync<Exception>(async () => await pipeline.SubmitAsync(Telemetry(Pump1, 99), Ct));
        await pipeline.DisposeAsync();
    }

    [Fact]
    public async Task Stopping_with_a_cancelled_token_leaves_no_verdict_unfinished()
    {
        var (pipeline, verdicts) = await TwelveSubmittedThenStoppedWithACancelledToken();

        var unfinished = verdicts.Select((v, i) => (Seq: i + 1, v.Status)).Where(v => v.Status != TaskStatus.Canceled).ToList();
        Assert.True(unfinished.Count == 0, "verdicts not cancelled: " + string.Join(", ", unfinished));
        await pipeline.DisposeAsync();
    }

    [Fact]
    public async Task Stopping_without_cancellation_finishes_what_was_taken()
    {
        var pipeline = Create();
        pipeline.Start();
        var verdict = await pipeline.SubmitAsync(Telemetry(Pump1, 1), Ct);

        await pipeline.StopAsync(Ct).WaitAsync(WaitLimit, Ct);

        Assert.Equal(IngressVerdict.Accepted, await verdict);
        Assert.Equal([1L], _sink.SeqsOf(Pump1));
        await pipeline.DisposeAsync();
    }

    [Fact]
    public async Task Reported_properties_go_to_the_property_sink_and_an_invalid_one_is_dead_lettered()
    {
        var properties = new RecordingPropertySink();
        await using var pipeline = Create(properties: properties);
        var verdicts = await SubmitAll(pipeline,
            Properties(Pump1, """{"firmware":"2.1"}"""), Properties(Pump2, "[1,2]"), Telemetry(Pump1, 1));

        pipeline.Start();

        Assert.Equal([IngressVerdict.Accepted, IngressVerdict.Rejected, IngressVerdict.Accepted], await All(verdicts));
        var (twin, patch) = Assert.Single(properties.Written);
        Assert.Equal(Pump1, twin);
        Assert.Equal("""[{"op":"add","path":"/firmware","value":"2.1"}]""", patch);
        var letter = Assert.Single(await DeadLetters());
        Assert.Equal(DeadLetterReason.SchemaMismatch, letter.Reason);
        Assert.Equal(Pump2, letter.TwinId);
        Assert.Equal("twins/pump-2/properties", letter.Topic);
        // Properties are not telemetry: nothing logged or published for them.
        Assert.Equal([1L], _sink.SeqsOf(Pump1));
        Assert.Empty(_sink.SeqsOf(Pump2));
        Assert.Equal(1, _log.Count);
    }

    [Fact]
    public async Task Reported_properties_are_refused_when_no_property_sink_is_attached_or_they_are_too_large()
    {
        await using var pipeline = Create(new IngressPipelineOptions { Limits = IngressLimits.Default with { MaxPayloadBytes = 64 } });
        var verdicts = await SubmitAll(pipeline,
            Properties(Pump1, """{"firmware":"2.1"}"""), Properties(Pump1, $$"""{"firmware":"{{new string('x', 100)}}"}"""));

        pipeline.Start();

        Assert.Equal([IngressVerdict.Rejected, IngressVerdict.Rejected], await All(verdicts));
        var reasons = (await DeadLetters()).Select(l => l.Reason).Order();
        Assert.Equal([DeadLetterReason.TooLarge, DeadLetterReason.InvalidTopic], reasons);
    }

    [Theory]
    [InlineData(0, 10, "MaxBatch")]
    [InlineData(100_001, 200_000, "MaxBatch")]
    [InlineData(10, 5, "Capacity")]
    public void Options_validation_names_the_bad_setting(int maxBatch, int capacity, string setting)
    {
        var options = Options(maxBatch, capacity);

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);

        Assert.Equal(setting, error.ParamName);
        Assert.Contains("TwinCluster:Ingress:" + setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_validation_names_a_bad_limit_and_the_pipeline_refuses_bad_options()
    {
        var options = new IngressPipelineOptions { Limits = IngressLimits.Default with { MaxPayloadBytes = 0 } };

        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(nameof(IngressLimits.MaxPayloadBytes), error.ParamName);

        var fromConstructor = Assert.Throws<ArgumentOutOfRangeException>(() => Create(Options(maxBatch: 2, capacity: 1)));
        Assert.Equal(nameof(IngressPipelineOptions.Capacity), fromConstructor.ParamName);
        Options().Validate();
    }
}
