using System.Text.Json;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Modeling;

namespace TwinCluster.Grains.Commands;

/// <summary>
/// A twin's commands in flight and its recent outcomes, without Orleans or MQTT. Each command id is answered once:
/// starting an id that is in flight joins it, starting one that has ended returns its outcome without sending again,
/// and a device's second answer to an id (a redelivered request answered twice) is dropped. The grain sends what
/// <see cref="Begin"/> says to send and ends commands by <see cref="Reply"/> or <see cref="End"/>; a queued command
/// that times out is <see cref="Park"/>ed instead: ended for the caller, but a later answer while the broker keeps the
/// request still counts, and <see cref="Sweep"/> turns it <see cref="CommandOutcome.Expired"/> once none can come. Memory
/// only: a new activation knows no command of the previous one, so it never sends one again.
/// </summary>
public sealed class CommandTracker(string twinId, int keep = 64)
{
    /// <summary>Most parked commands kept (the oldest is forgotten, its late answer then only counted).</summary>
    public const int MaxParked = 1024;

    private readonly Dictionary<string, InFlight> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Parked> _parked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CommandResult> _ended = new(StringComparer.Ordinal);
    private readonly Queue<string> _endedOrder = new();

    /// <summary>Answers that matched no command in flight (late after a timeout, duplicates, or a previous activation's).</summary>
    public long UnmatchedReplies { get; private set; }

    /// <summary>Commands in flight now.</summary>
    public int InFlightCount => _inFlight.Count;

    /// <summary>Queued commands that timed out and may still be answered.</summary>
    public int ParkedCount => _parked.Count;

    /// <summary>The ended commands, newest first.</summary>
    public IReadOnlyList<CommandResult> Recent => [.. _endedOrder.Reverse().Select(id => _ended[id])];

    /// <summary>
    /// Starts a command, or finds it: <see cref="CommandStart.Send"/> is true only for an id not seen before, which the
    /// caller must then send. <see cref="CommandStart.Result"/> completes when the command ends.
    /// </summary>
    public CommandStart Begin(string commandId, string name, CommandModel model, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_ended.TryGetValue(commandId, out var ended))
        {
            return new CommandStart(false, Task.FromResult(ended));
        }

        if (_inFlight.TryGetValue(commandId, out var running))
        {
            return new CommandStart(false, running.Completion.Task);
        }

        var flight = new InFlight(commandId, name, model, now);
        _inFlight.Add(commandId, flight);
        return new CommandStart(true, flight.Completion.Task);
    }

    /// <summary>
    /// Ends the command a device answered: <see cref="CommandOutcome.Answered"/> for a 2xx status with a payload that
    /// fits the response schema, <see cref="CommandOutcome.Refused"/> for 400 and up, otherwise
    /// <see cref="CommandOutcome.InvalidResponse"/>. False (and counted) when no such command is in flight.
    /// </summary>
    public bool Reply(CommandReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (_inFlight.TryGetValue(reply.CommandId, out var flight))
        {
            var (outcome, payload, message) = Judge(flight.Model, reply);
            Finish(flight, new CommandResult(twinId, flight.Id, flight.Name, outcome, reply.Status, payload, message, flight.RequestedAt, reply.ReceivedAt));
            return true;
        }

        if (_parked.TryGetValue(reply.CommandId, out var parked) && reply.ReceivedAt <= parked.AnswerBy)
        {
            _parked.Remove(reply.CommandId);
            // A queued request that reached the device after the caller stopped waiting: its answer is the outcome now.
            var (outcome, payload, message) = Judge(parked.Flight.Model, reply);
            Record(new CommandResult(twinId, parked.Flight.Id, parked.Flight.Name, outcome, reply.Status, payload,
                message ?? "answered after the caller's timeout, while the broker kept the request", parked.Flight.RequestedAt, reply.ReceivedAt));
            return true;
        }

        UnmatchedReplies++;
        return false;
    }

    /// <summary>
    /// Ends a queued command whose caller timed out with <see cref="CommandOutcome.TimedOut"/>, but keeps it answerable
    /// until <paramref name="answerBy"/> (the end of its queueing plus time to answer); false when it had already ended.
    /// </summary>
    public bool Park(string commandId, string message, DateTimeOffset answerBy, DateTimeOffset now)
    {
        if (!_inFlight.TryGetValue(commandId, out var flight))
        {
            return false;
        }

        Finish(flight, new CommandResult(twinId, flight.Id, flight.Name, CommandOutcome.TimedOut, null, null, message, flight.RequestedAt, now));
        if (_parked.Count >= MaxParked)
        {
            _parked.Remove(_parked.MinBy(p => p.Value.AnswerBy).Key);
        }

        _parked[commandId] = new Parked(flight, answerBy);
        return true;
    }

    /// <summary>Turns the parked commands that can no longer be answered into <see cref="CommandOutcome.Expired"/>; how many.</summary>
    public int Sweep(DateTimeOffset now)
    {
        if (_parked.Count == 0)
        {
            return 0;
        }

        var over = _parked.Where(p => p.Value.AnswerBy < now).ToList();
        foreach (var (id, parked) in over)
        {
            _parked.Remove(id);
            Record(new CommandResult(twinId, id, parked.Flight.Name, CommandOutcome.Expired, null, null,
                $"no answer while the broker kept the request (until {parked.AnswerBy:u} at the latest): it expired undelivered or unanswered, and the device did not report doing it",
                parked.Flight.RequestedAt, now));
        }

        return over.Count;
    }

    /// <summary>
    /// The caller's timeout passed without an answer: a queued command is <see cref="Park"/>ed (the request may still
    /// reach a device that reconnects: its answer until then, and a timeout more to give it, becomes the outcome; past
    /// that it is Expired), any other ends <see cref="CommandOutcome.TimedOut"/>.
    /// </summary>
    public bool NoAnswer(string commandId, CommandOptions options, DateTimeOffset requestedAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.QueueFor is { } queue)
        {
            var until = requestedAt + queue;
            return Park(commandId,
                $"no answer within {options.Timeout.TotalSeconds:0.###} s; the broker keeps the request for a device session that is kept but not connected until {until:u} ({queue.TotalSeconds:0.###} s), and an answer by then becomes this command's outcome (GET its commands)",
                until + options.Timeout, now);
        }

        return End(commandId, CommandOutcome.TimedOut,
            $"no answer within {options.Timeout.TotalSeconds:0.###} s; the request expires at the broker with the timeout, and a late answer is only counted", now);
    }

    /// <summary>Ends a command without an answer (offline, timed out, unavailable); false when it had already ended.</summary>
    public bool End(string commandId, CommandOutcome outcome, string message, DateTimeOffset now)
    {
        if (!_inFlight.TryGetValue(commandId, out var flight))
        {
            return false;
        }

        Finish(flight, new CommandResult(twinId, flight.Id, flight.Name, outcome, null, null, message, flight.RequestedAt, now));
        return true;
    }

    /// <summary>What a device's answer amounts to; the payload comes back as JSON text (a non-JSON refusal as a JSON string).</summary>
    public static (CommandOutcome Outcome, string? PayloadJson, string? Message) Judge(CommandModel model, CommandReply reply)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(reply);
        JsonElement? payload = null;
        string? json = null;
        if (!string.IsNullOrWhiteSpace(reply.PayloadText))
        {
            try
            {
                using var document = JsonDocument.Parse(reply.PayloadText, new JsonDocumentOptions { MaxDepth = 32 });
                payload = document.RootElement.Clone();
                json = reply.PayloadText;
            }
            catch (JsonException ex)
            {
                if (reply.Status >= 400)
                {
                    return (CommandOutcome.Refused, JsonSerializer.Serialize(reply.PayloadText), $"the device refused with status {reply.Status}");
                }

                return (CommandOutcome.InvalidResponse, null, $"the device answered with status {reply.Status} and a payload that is not JSON: {ex.Message}");
            }
        }

        if (reply.Status >= 400)
        {
            return (CommandOutcome.Refused, json, $"the device refused with status {reply.Status}");
        }

        if (reply.Status is < 200 or > 299)
        {
            return (CommandOutcome.InvalidResponse, json, $"the device answered with status {reply.Status}, which is neither success (2xx) nor failure (400 and up)");
        }

        var errors = CommandValidator.ValidateResponse(model, payload);
        return errors.Count == 0
            ? (CommandOutcome.Answered, json, null)
            : (CommandOutcome.InvalidResponse, json, "the device's response does not fit the response schema: " + string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")));
    }

    private void Finish(InFlight flight, CommandResult result)
    {
        _inFlight.Remove(flight.Id);
        Record(result);
        flight.Completion.TrySetResult(result);
    }

    // The latest outcome of an id: a replacement keeps the id's place in the order.
    private void Record(CommandResult result)
    {
        if (_ended.ContainsKey(result.CommandId))
        {
            _ended[result.CommandId] = result;
            return;
        }

        _ended[result.CommandId] = result;
        _endedOrder.Enqueue(result.CommandId);
        while (_endedOrder.Count > keep)
        {
            _ended.Remove(_endedOrder.Dequeue());
        }
    }

    private sealed record Parked(InFlight Flight, DateTimeOffset AnswerBy);

    private sealed class InFlight(string id, string name, CommandModel model, DateTimeOffset requestedAt)
    {
        public string Id { get; } = id;

        public string Name { get; } = name;

        public CommandModel Model { get; } = model;

        public DateTimeOffset RequestedAt { get; } = requestedAt;

        public TaskCompletionSource<CommandResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
