using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using TwinCluster.Grains.Commands;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Modeling;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Twins;

/// <summary>
/// The way down: commands go through <see cref="CommandTracker"/> (which answers each id once) and a relay
/// (<see cref="DeviceGateways"/>); desired properties through <see cref="DesiredLedger"/>, stored as their own state
/// and pushed as a retained document. The grain checks, sends, waits and stores; the engines decide.
/// </summary>
public sealed partial class TwinGrain
{
    private CommandTracker? _commands;
    private DesiredLedger? _desiredLedger;

    private CommandTracker Tracker => _commands ??= new CommandTracker(Id);

    private DesiredLedger DesiredBook => _desiredLedger ??= new DesiredLedger(desired.State);

    public async Task<CommandResult> InvokeCommand(string name, string? payloadJson, CommandOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        await Require(null);
        var (command, payload) = await CheckCommand(name, payloadJson, options);
        var commandId = options.CommandId ?? Guid.NewGuid().ToString("N");
        Tracker.Sweep(services.Time.GetUtcNow());
        var start = Tracker.Begin(commandId, name, command, services.Time.GetUtcNow());
        if (!start.Send)
        {
            return await start.Result;
        }

        var requestedAt = services.Time.GetUtcNow();
        var delivery = await services.Gateways.SendAsync(new DeviceCommand(Id, commandId, name, payload, options.QueueFor ?? options.Timeout, options.QueueFor is not null));
        var now = services.Time.GetUtcNow();
        switch (delivery)
        {
            case null:
                Tracker.End(commandId, CommandOutcome.Unavailable, "no relay to the MQTT broker is registered (is the ingress running?); nothing was sent", now);
                break;
            case DeliveryResult.NoSubscribers:
                Tracker.End(commandId, CommandOutcome.Offline, options.QueueFor is null
                    ? $"no connected device session takes twin '{Id}''s commands (none subscribes, or its session is kept but not connected: queueFor lets the broker keep the request for it); nothing was sent"
                    : $"no device session subscribes to twin '{Id}''s commands, so none can be kept for it either; nothing was sent", now);
                break;
            case DeliveryResult.Failed:
                Tracker.End(commandId, CommandOutcome.Unavailable, "the relay could not publish the request to the broker; nothing was sent", now);
                break;
            default:
                try
                {
                    await start.Result.WaitAsync(options.Timeout, services.Time);
                }
                catch (TimeoutException)
                {
                    if (options.QueueFor is { } queue)
                    {
                        // The request may still reach a device that reconnects: its answer until then (and a timeout
                        // more to give it) becomes the command's outcome; past that it is Expired.
                        var until = requestedAt + queue;
                        Tracker.Park(commandId,
                            $"no answer within {options.Timeout.TotalSeconds:0.###} s; the broker keeps the request for a device session that is kept but not connected until {until:u} ({queue.TotalSeconds:0.###} s), and an answer by then becomes this command's outcome (GET its commands)",
                            until + options.Timeout, services.Time.GetUtcNow());
                    }
                    else
                    {
                        Tracker.End(commandId, CommandOutcome.TimedOut,
                            $"no answer within {options.Timeout.TotalSeconds:0.###} s; the request expires at the broker with the timeout, and a late answer is only counted",
                            services.Time.GetUtcNow());
                    }
                }

                break;
        }

        var result = await start.Result;
        services.Metrics.Wrote("command." + result.Outcome.ToString().ToLowerInvariant());
        return result;
    }

    public Task CommandReplied(CommandReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (!Tracker.Reply(reply))
        {
            logger.LogInformation("Twin {TwinId}: answer to command {CommandId} (status {Status}) matches no command in flight (late or repeated); dropped",
                Id, reply.CommandId, reply.Status);
        }

        return Task.CompletedTask;
    }

    public Task<ImmutableArray<CommandResult>> GetCommands()
    {
        Tracker.Sweep(services.Time.GetUtcNow());
        return Task.FromResult<ImmutableArray<CommandResult>>([.. Tracker.Recent]);
    }

    public async Task<DesiredView> GetDesired()
    {
        await Require(null);
        return DesiredBook.View(Id);
    }

    public async Task ReportProperties(string? jsonPatch, ImmutableArray<DesiredAck> acks)
    {
        await Require(null);
        var now = services.Time.GetUtcNow();
        var changed = false;
        if (jsonPatch is not null)
        {
            await PatchCore(jsonPatch, null, operatorWrite: false);
            // The device's own values of desired properties are what it reports, not new desired values.
            using var operations = JsonDocument.Parse(jsonPatch);
            foreach (var operation in operations.RootElement.EnumerateArray())
            {
                if (operation.TryGetProperty("path", out var path) && path.GetString() is ['/', .. var member] && operation.TryGetProperty("value", out var value))
                {
                    changed |= DesiredBook.Reported(member.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal), value.GetRawText());
                }
            }
        }

        foreach (var ack in acks.IsDefault ? [] : acks)
        {
            changed |= DesiredBook.Acknowledge(ack, now);
        }

        if (changed)
        {
            await desired.WriteStateAsync();
        }
    }

    public async Task<bool> PushDesired()
    {
        await Require(null);
        return await PushDesiredCore();
    }

    /// <summary>After an operator's write of the properties: the writable ones that changed become desired values, pushed to the device.</summary>
    private async Task OnOperatorWrite(string before, string after)
    {
        var model = await services.Models.GetAsync(S.ModelId);
        var changes = DesiredLedger.Changes(model.Interface, before, after);
        if (DesiredBook.Set(changes, services.Time.GetUtcNow()))
        {
            await PushDesiredCore();
        }
    }

    private async Task<bool> PushDesiredCore()
    {
        var delivery = await services.Gateways.PushDesiredAsync(Id, DesiredBook.Document());
        // Retained: a device without a session now gets it when it subscribes, so "no subscribers" is pushed too.
        desired.State.Pushed = delivery is DeliveryResult.Delivered or DeliveryResult.NoSubscribers;
        if (!desired.State.Pushed)
        {
            logger.LogWarning("Twin {TwinId}: desired properties version {Version} not pushed ({Delivery}); they stay pending", Id, desired.State.Version,
                delivery?.ToString() ?? "no relay");
        }

        await desired.WriteStateAsync();
        return desired.State.Pushed;
    }

    private async Task<(CommandModel Command, string? Payload)> CheckCommand(string name, string? payloadJson, CommandOptions options)
    {
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > CommandOptions.MaxTimeout)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"timeout {options.Timeout.TotalSeconds:0.###} s must be above 0 and at most {CommandOptions.MaxTimeout.TotalSeconds:0} s");
        }

        if (options.QueueFor is { } queue && (queue < options.Timeout || queue > CommandOptions.MaxQueue))
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"queueFor {queue.TotalSeconds:0.###} s must be at least the timeout and at most {CommandOptions.MaxQueue.TotalDays:0} day");
        }

        if (options.CommandId is { } id && CommandTopics.CheckCommandId(id) is { } badId)
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, badId);
        }

        var model = await services.Models.GetAsync(S.ModelId);
        var command = CommandValidator.Find(model.Interface, model.Set, name)
            ?? throw new TwinOperationException(TwinErrorCode.Invalid, $"'{name}' is not a command of model '{S.ModelId}'" +
                (model.Interface.Commands.Count == 0 ? " (it has none)" : $" (its commands: {string.Join(", ", model.Interface.Commands.Keys.Order(StringComparer.Ordinal))})"));
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw new TwinOperationException(TwinErrorCode.Invalid, $"command '{name}': commands of components are not sent to devices yet");
        }

        JsonElement? payload = null;
        JsonDocument? document = null;
        try
        {
            if (!string.IsNullOrWhiteSpace(payloadJson))
            {
                try
                {
                    document = JsonDocument.Parse(payloadJson, new JsonDocumentOptions { MaxDepth = 32 });
                }
                catch (JsonException ex)
                {
                    throw new TwinOperationException(TwinErrorCode.Invalid, $"the request payload of command '{name}' is not JSON: {ex.Message}");
                }

                payload = document.RootElement;
            }

            var errors = CommandValidator.ValidateRequest(command, payload);
            if (errors.Count > 0)
            {
                throw new TwinOperationException(TwinErrorCode.Invalid, $"the request of command '{name}' does not fit its schema: {errors[0].Path}: {errors[0].Message}",
                    [.. errors.Select(e => $"{e.Path}: {e.Message}")]);
            }

            return (command, payload is null || payload.Value.ValueKind == JsonValueKind.Null ? null : payload.Value.GetRawText());
        }
        finally
        {
            document?.Dispose();
        }
    }
}
