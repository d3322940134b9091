using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Ingress.Storage;
using TwinCluster.Ingress.Admission;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Pipeline;

/// <summary>
/// The ingress, transport aside: takes MQTT publishes, checks them (<see cref="TelemetryAdmission"/>), appends the
/// good ones to the telemetry log in batches, records the rest as dead letters, publishes what the log took as new
/// to the twins' streams, and only then completes each message's verdict, which is when the transport may
/// acknowledge it. Two stages run at once (check + log, then publish), each one batch at a time. Verdicts are not
/// strictly in arrival order (a dead letter is final before the accepted messages of its batch are published).
/// Bounded: when <see cref="IngressPipelineOptions.Capacity"/> messages wait, <see cref="SubmitAsync"/> waits too.
/// A failure never stops the stages: the messages it touched are left without a verdict (not acknowledged, so the
/// broker delivers them again) and the next batch goes on.
/// </summary>
public sealed class IngressPipeline : IAsyncDisposable
{
    private readonly IngressPipelineOptions _options;
    private readonly ITelemetryLog _log;
    private readonly IDeadLetterStore _deadLetters;
    private readonly ITwinDirectory _directory;
    private readonly ITelemetrySink _sink;
    private readonly IReportedPropertySink? _properties;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TelemetryAdmission _admission;
    private readonly IngressRetry _retry;
    private readonly Channel<Pending> _input;
    private readonly Channel<Stage> _staged;
    private readonly CancellationTokenSource _abort = new();
    private Task? _admitLoop;
    private Task? _publishLoop;

    /// <summary>Creates the pipeline; <see cref="Start"/> runs it.</summary>
    public IngressPipeline(IngressPipelineOptions options, ITelemetryLog log, IDeadLetterStore deadLetters,
        ITwinDirectory directory, ITelemetrySink sink, IReportedPropertySink? properties = null,
        IngressMetrics? metrics = null, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _deadLetters = deadLetters ?? throw new ArgumentNullException(nameof(deadLetters));
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _properties = properties;
        Metrics = metrics ?? new IngressMetrics();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _admission = new TelemetryAdmission(options.Limits);
        _retry = new IngressRetry(_time);
        _input = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.Capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _staged = Channel.CreateBounded<Stage>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
    }

    /// <summary>The counters.</summary>
    public IngressMetrics Metrics { get; }

    /// <summary>True when the log survives a crash; false means an acknowledged message may be lost with the process.</summary>
    public bool IsDurable => _log.IsDurable;

    /// <summary>Starts the stages.</summary>
    public void Start()
    {
        if (_admitLoop is not null)
        {
            throw new InvalidOperationException("the pipeline is already running");
        }

        _admitLoop = Task.Run(AdmitLoop);
        _publishLoop = Task.Run(PublishLoop);
    }

    /// <summary>
    /// Queues one publish, waiting while the pipeline is full. The returned task completes with the message's
    /// verdict once it is final (logged and handed on, or dead-lettered); it is cancelled when the pipeline stops
    /// first, and then the message must not be acknowledged.
    /// </summary>
    public async ValueTask<Task<IngressVerdict>> SubmitAsync(InboundMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var pending = new Pending(message);
        await _input.Writer.WriteAsync(pending, cancellationToken);
        return pending.Verdict.Task;
    }

    /// <summary>
    /// Stops taking messages and finishes those already taken; when <paramref name="cancellationToken"/> fires
    /// first, the rest are cancelled (not acknowledged, so the broker delivers them again).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _input.Writer.TryComplete();
        if (_admitLoop is null || _publishLoop is null)
        {
            return;
        }

        using var registration = cancellationToken.Register(() => _abort.Cancel());
        try
        {
            await Task.WhenAll(_admitLoop, _publishLoop);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // Cut short: what was not finished is cancelled below.
        }

        while (_input.Reader.TryRead(out var left))
        {
            left.Verdict.TrySetCanceled();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await StopAsync(timeout.Token);
        _abort.Dispose();
    }

    private async Task AdmitLoop()
    {
        var batch = new List<Pending>(_options.MaxBatch);
        try
        {
            while (await _input.Reader.WaitToReadAsync(_abort.Token))
            {
                batch.Clear();
                while (batch.Count < _options.MaxBatch && _input.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                Stage stage;
                try
                {
                    stage = await Admit(batch, _abort.Token);
                }
                catch (Exception ex) when (!_abort.IsCancellationRequested)
                {
                    // Not acknowledged: the broker delivers these again. The ingress itself carries on.
                    _logger.LogError(ex, "Ingress: a batch of {Count} messages failed; they stay unacknowledged", batch.Count);
                    foreach (var pending in batch)
                    {
                        pending.Fail(ex);
                    }

                    continue;
                }

                await _staged.Writer.WriteAsync(stage, _abort.Token);
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            foreach (var pending in batch)
            {
                pending.Verdict.TrySetCanceled();
            }
        }
        finally
        {
            _staged.Writer.TryComplete();
        }
    }

    private async Task PublishLoop()
    {
        try
        {
            await foreach (var stage in _staged.Reader.ReadAllAsync(CancellationToken.None))
            {
                try
                {
                    await Task.WhenAll(stage.Batches.Select(b => PublishWithRetry(b, _abort.Token)));
                }
                catch (Exception ex)
                {
                    // Cut short by an abort: logged but not acknowledged; the broker delivers them again.
                    foreach (var (pending, _) in stage.Accepted)
                    {
                        pending.Fail(ex);
                    }

                    continue;
                }

                foreach (var (pending, verdict) in stage.Accepted)
                {
                    pending.Verdict.TrySetResult(verdict);
                }
            }
        }
        finally
        {
            // Whatever is left staged after an abort is cancelled, never left hanging.
            while (_staged.Reader.TryRead(out var left))
            {
                foreach (var (pending, _) in left.Accepted)
                {
                    pending.Verdict.TrySetCanceled();
                }
            }
        }
    }

    private async Task<Stage> Admit(List<Pending> batch, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var telemetry = new List<(Pending Pending, TelemetryTopic Topic)>(batch.Count);
        var properties = new List<(Pending Pending, TwinId Twin)>();
        var deadLetters = new List<(Pending Pending, DeadLetter Letter)>();
        foreach (var pending in batch)
        {
            // Each topic is parsed once, here; each twin is resolved once per batch, below.
            var message = pending.Message;
            if (TelemetryAdmission.ParseTopic(message.Topic, out var topic) is { } invalid)
            {
                deadLetters.Add((pending, Letter(message, null, invalid.Reason, invalid.Message, now)));
            }
            else if (topic.Kind == TopicKind.Properties)
            {
                properties.Add((pending, topic.TwinId));
            }
            else
            {
                telemetry.Add((pending, topic));
            }
        }

        var models = await ResolveModels(telemetry.Select(t => t.Topic.TwinId).Distinct().ToList(), cancellationToken);
        var accepted = new List<(Pending Pending, TelemetryMessage Message)>(telemetry.Count);
        var refused = new List<(TwinId Twin, long Seq)>();
        foreach (var (pending, topic) in telemetry)
        {
            var twin = topic.TwinId;
            var (model, broken) = models[twin];
            var message = pending.Message;
            if (broken is not null)
            {
                deadLetters.Add((pending, Letter(message, twin, DeadLetterReason.UnknownTwin, broken, now)));
                continue;
            }

            var result = _admission.Admit(topic, model?.Model, model?.Models ?? Modeling.ModelSet.Empty,
                new ReadOnlySequence<byte>(message.Payload), message.ContentType, now);
            if (result.IsSuccess)
            {
                accepted.Add((pending, result.Message));
            }
            else
            {
                deadLetters.Add((pending, Letter(message, twin, result.Rejection.Reason, result.Rejection.Message, now)));
                if (result.RefusedSeq is { } seq)
                {
                    // The device used this seq: tell the twin, so its later telemetry does not wait for it.
                    refused.Add((twin, seq));
                }
            }
        }

        var watch = Stopwatch.StartNew();
        var added = accepted.Count == 0 ? [] : await AppendWithRetry(accepted.Select(a => a.Message).ToList(), cancellationToken);
        Metrics.Batch(batch.Count, watch.Elapsed);
        // The log returns a subset of what it was given, so as many back as went in means all were new (the usual case).
        var isNew = added.Count == accepted.Count ? null : new HashSet<TelemetryMessage>(added, ReferenceEqualityComparer.Instance);
        var staged = new List<(Pending, IngressVerdict)>(accepted.Count + properties.Count);
        foreach (var (pending, message) in accepted)
        {
            if (isNew is null || isNew.Contains(message))
            {
                staged.Add((pending, IngressVerdict.Accepted));
            }
            else
            {
                deadLetters.Add((pending, Letter(pending.Message, message.TwinId, DeadLetterReason.DuplicateSeq,
                    $"seq {message.Seq} of twin '{message.TwinId.Value}' is already in the telemetry log", now)));
            }
        }

        Metrics.Accept(added.Count);
        foreach (var (pending, verdict, letter) in await ApplyProperties(properties, now, cancellationToken))
        {
            if (letter is null)
            {
                staged.Add((pending, verdict));
            }
            else
            {
                deadLetters.Add((pending, letter));
            }
        }

        await StoreDeadLetters(deadLetters, cancellationToken);
        return new Stage(staged, TelemetryRecords.ByTwin(added, now, refused));
    }

    // Each twin on its own: a twin whose model cannot be used (TwinModelUnavailableException) has its messages
    // dead-lettered; a lookup that fails otherwise (the cluster unreachable) is retried, and the messages wait.
    private async Task<Dictionary<TwinId, (TwinModel? Model, string? Broken)>> ResolveModels(List<TwinId> twins, CancellationToken cancellationToken)
    {
        var models = new Dictionary<TwinId, (TwinModel?, string?)>(twins.Count);
        var todo = twins;
        await _retry.RunAsync(async ct =>
        {
            // All started before any is awaited, so cache misses run concurrently; hits complete synchronously.
            var lookups = todo.Select(t => (Twin: t, Lookup: _directory.FindAsync(t, ct))).ToList();
            var retry = new List<TwinId>();
            Exception? last = null;
            foreach (var (twin, lookup) in lookups)
            {
                try
                {
                    models[twin] = (await lookup, null);
                }
                catch (TwinModelUnavailableException ex)
                {
                    models[twin] = (null, ex.Message);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    retry.Add(twin);
                    last = ex;
                }
            }

            todo = retry;
            if (last is not null)
            {
                // Only the lookups that failed are tried again.
                throw last;
            }
        }, (ex, attempt) => _logger.LogWarning(ex, "Ingress: lookup of {Count} twins failed (attempt {Attempt}); retrying", todo.Count, attempt),
        cancellationToken);
        return models;
    }

    // Nothing is acknowledged until this succeeds; meanwhile the pipeline fills and the transports wait.
    private ValueTask<IReadOnlyList<TelemetryMessage>> AppendWithRetry(List<TelemetryMessage> messages, CancellationToken cancellationToken) =>
        _retry.RunAsync(
            ct => new ValueTask<IReadOnlyList<TelemetryMessage>>(_log.AppendNewAsync(messages, ct)),
            (ex, attempt) => _logger.LogWarning(ex, "Ingress: telemetry log append of {Count} messages failed (attempt {Attempt}); retrying",
                messages.Count, attempt),
            cancellationToken);

    // A full or moving stream queue: wait (this is the backpressure from slow twins). The records are logged, so
    // even if this process dies now the twin catches up from the log.
    private async Task PublishWithRetry(TelemetryBatch batch, CancellationToken cancellationToken) =>
        await _retry.RunAsync(ct => _sink.PublishAsync(batch, ct), (ex, attempt) =>
        {
            Metrics.PublishRetried();
            if (attempt % 10 == 1)
            {
                _logger.LogWarning(ex, "Ingress: publishing {Count} records to twin {TwinId} failed (attempt {Attempt}); retrying",
                    batch.Records.Length, batch.TwinId, attempt);
            }
        }, cancellationToken);

    private async Task<List<(Pending, IngressVerdict, DeadLetter?)>> ApplyProperties(
        List<(Pending Pending, TwinId Twin)> properties, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var results = new List<(Pending, IngressVerdict, DeadLetter?)>(properties.Count);
        foreach (var (pending, twin) in properties)
        {
            var message = pending.Message;
            Rejection? rejection;
            if (message.Payload.Length > _options.Limits.MaxPayloadBytes)
            {
                rejection = new Rejection(DeadLetterReason.TooLarge,
                    $"payload of {message.Payload.Length} bytes is over the limit of {_options.Limits.MaxPayloadBytes}");
            }
            else if (_properties is null)
            {
                rejection = new Rejection(DeadLetterReason.InvalidTopic, "this ingress does not take reported properties");
            }
            else
            {
                try
                {
                    rejection = await _properties.ApplyAsync(twin, message.Payload, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Not the message's fault (a silo moving, a concurrent write): no verdict, so no acknowledgement,
                    // and the broker delivers it again.
                    _logger.LogWarning(ex, "Ingress: reported properties of twin {TwinId} not written; left unacknowledged", twin.Value);
                    pending.Fail(ex);
                    continue;
                }
            }

            results.Add(rejection is null
                ? (pending, IngressVerdict.Accepted, null)
                : (pending, IngressVerdict.Rejected, Letter(message, twin, rejection.Reason, rejection.Message, now)));
        }

        return results;
    }

    private async Task StoreDeadLetters(List<(Pending Pending, DeadLetter Letter)> deadLetters, CancellationToken cancellationToken)
    {
        if (deadLetters.Count == 0)
        {
            return;
        }

        // A dead letter is how a refused message is accounted for: like the log, wait for the store.
        await _retry.RunAsync(ct => _deadLetters.AddAsync(deadLetters.Select(d => d.Letter).ToList(), ct),
            (ex, attempt) => _logger.LogWarning(ex, "Ingress: storing {Count} dead letters failed (attempt {Attempt}); retrying", deadLetters.Count, attempt),
            cancellationToken);

        foreach (var (pending, letter) in deadLetters)
        {
            Metrics.DeadLetter(letter.Reason);
            pending.Verdict.TrySetResult(letter.Reason == DeadLetterReason.DuplicateSeq ? IngressVerdict.Duplicate : IngressVerdict.Rejected);
        }
    }

    private static DeadLetter Letter(InboundMessage message, TwinId? twin, DeadLetterReason reason, string text, DateTimeOffset now) =>
        DeadLetter.Of(now, message.Topic, twin, reason, text, message.Payload.Span);

    private sealed class Pending(InboundMessage message)
    {
        public InboundMessage Message { get; } = message;

        public TaskCompletionSource<IngressVerdict> Verdict { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Fail(Exception ex)
        {
            if (ex is OperationCanceledException)
            {
                Verdict.TrySetCanceled();
            }
            else
            {
                Verdict.TrySetException(ex);
            }
        }
    }

    private sealed record Stage(List<(Pending Pending, IngressVerdict Verdict)> Accepted, List<TelemetryBatch> Batches);
}
