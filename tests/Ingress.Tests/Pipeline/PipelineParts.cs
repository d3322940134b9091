using System.Collections.Concurrent;
using System.Text;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Ingress.Pipeline;
using TwinCluster.Ingress.Storage;
using TwinCluster.Wire;
using TwinCluster.Modeling;

namespace TwinCluster.Ingress.Tests.Pipeline;

/// <summary>The small parts the pipeline tests plug in: a model, a directory, sinks, a flaky log and a clock.</summary>
internal static class PipelineParts
{
    public const string PumpModelId = "dtmi:test:Pump;1";

    private const string Pump = """
        {"@context":"dtmi:dtdl:context;3","@id":"dtmi:test:Pump;1","@type":"Interface",
         "contents":[
           {"@type":"Telemetry","name":"vibration","schema":"double"},
           {"@type":"Telemetry","name":"temperature","schema":"double"},
           {"@type":"Property","name":"firmware","schema":"string"}]}
        """;

    public static readonly TwinModel PumpModel = Parse();

    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    private static TwinModel Parse()
    {
        var result = new ModelParser().Parse(Pump);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        return new TwinModel(PumpModelId, result.Models!.Find(PumpModelId)!, result.Models!);
    }

    public static InboundMessage Telemetry(TwinId twin, long seq, string values = """{"vibration":[0.5,-0.25,1]}""") =>
        new(TelemetryTopic.Format(twin, TopicKind.Telemetry),
            Encoding.UTF8.GetBytes($$"""{"seq":{{seq}},"ts":"2026-11-25T17:59:00Z","fs":25600,"values":{{values}}}"""),
            null, Samples.Now);

    public static InboundMessage Properties(TwinId twin, string json) =>
        new(TelemetryTopic.Format(twin, TopicKind.Properties), Encoding.UTF8.GetBytes(json), null, Samples.Now);

    public static TelemetryMessage Logged(TwinId twin, long seq) =>
        new(twin, seq, Samples.Now.AddMinutes(-1), null, [new TelemetryChannel("vibration", [1.0])], WireFormat.Json);

    public static IngressPipelineOptions Options(int maxBatch = 1_000, int capacity = 8_192) =>
        new() { MaxBatch = maxBatch, Capacity = capacity };
}

/// <summary>Knows the twins it was given, all of the pump model.</summary>
internal sealed class TwinDirectory(params TwinId[] twins) : ITwinDirectory
{
    public ValueTask<TwinModel?> FindAsync(TwinId twinId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(twins.Contains(twinId) ? PipelineParts.PumpModel : null);
}

/// <summary>
/// Records every batch it is given. With <see cref="Hold"/> it keeps each publish open until <see cref="Release"/>
/// (honouring the pipeline's token), so a test can see what happens while the twins are slow.
/// </summary>
internal sealed class RecordingSink : ITelemetrySink
{
    private readonly Lock _lock = new();
    private readonly List<TelemetryBatch> _published = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _gate;

    /// <summary>Publishes wait for <see cref="Release"/>.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate?.TrySetResult();

    /// <summary>Completes when the first publish has started (and, when held, is waiting).</summary>
    public Task Entered => _entered.Task;

    public IReadOnlyList<TelemetryBatch> Published
    {
        get
        {
            lock (_lock)
            {
                return [.. _published];
            }
        }
    }

    /// <summary>The seqs of the messages published for <paramref name="twin"/> (refused-seq markers aside).</summary>
    public IReadOnlyList<long> SeqsOf(TwinId twin) =>
        [.. Published.Where(b => b.TwinId == twin.Value).SelectMany(b => b.Records).Where(r => !r.Refused).Select(r => r.Seq)];

    /// <summary>The refused seqs the twin was told to move past.</summary>
    public IReadOnlyList<long> RefusedSeqsOf(TwinId twin) =>
        [.. Published.Where(b => b.TwinId == twin.Value).SelectMany(b => b.Records).Where(r => r.Refused).Select(r => r.Seq)];

    public async Task PublishAsync(TelemetryBatch batch, CancellationToken cancellationToken)
    {
        _entered.TrySetResult();
        if (_gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        lock (_lock)
        {
            _published.Add(batch);
            var records = _published.Sum(b => b.Records.Count(r => !r.Refused));
            foreach (var waiter in _waiters.Where(w => records >= w.Count))
            {
                waiter.Signal.TrySetResult();
            }
        }
    }

    /// <summary>Completes once <paramref name="count"/> records have been published; fails after the test timeout.</summary>
    public Task WaitForRecordsAsync(int count)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_published.Sum(b => b.Records.Count(r => !r.Refused)) >= count)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((count, signal));
        }

        return signal.Task.WaitAsync(PipelineParts.WaitLimit);
    }
}

/// <summary>Writes properties that <see cref="ReportedProperties.ToPatch"/> accepts; refuses the rest as schema-mismatch.</summary>
internal sealed class RecordingPropertySink : IReportedPropertySink
{
    public ConcurrentQueue<(TwinId Twin, string Patch)> Written { get; } = new();

    public Task<Rejection?> ApplyAsync(TwinId twinId, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        try
        {
            Written.Enqueue((twinId, ReportedProperties.ToPatch(json.Span)));
            return Task.FromResult<Rejection?>(null);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return Task.FromResult<Rejection?>(new Rejection(DeadLetterReason.SchemaMismatch, ex.Message));
        }
    }
}

/// <summary>
/// A clock stopped at <see cref="Samples.Now"/> whose timers fire at once, so the pipeline's retry backoff does not
/// slow the tests (the pipeline waits with <c>Task.Delay(backoff, timeProvider)</c>).
/// </summary>
internal sealed class StoppedClock : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => Samples.Now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        base.CreateTimer(callback, state, dueTime == global::System.Threading.Timeout.InfiniteTimeSpan ? dueTime : TimeSpan.Zero, period);
}
