using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using TwinCluster.Grains.Commands;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Grains.Twins;

/// <summary>
/// The way down: commands go through <see cref="CommandRequests"/> (what is acceptable, what a send means) and
/// <see cref="CommandTracker"/> (which answers each id once) to a relay (<see cref="DeviceGateways"/>); desired
/// properties through <see cref="DesiredLedger"/>, stored as their own state and pushed as a retained document.
/// The grain sends, waits and stores; the engines decide.
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
        CommandRequests.CheckOptions(options);
        var (command, payload) = CommandRequests.Check(await services.Models.GetAsync(S.ModelId), S.ModelId, name, payloadJson);
        var commandId = options.CommandId ?? Guid.NewGuid().ToString("N");
        Tracker.Sweep(services.Time.GetUtcNow());
        var start = Tracker.Begin(commandId, name, command, services.Time.GetUtcNow());
        if (!start.Send)
        {
            return await start.Result;
        }

        var requestedAt = services.Time.GetUtcNow();
        var delivery = await services.Gateways.SendAsync(new DeviceCommand(Id, commandId, name, payload, options.QueueFor ?? options.Timeout, options.QueueFor is not null));
        if (CommandRequests.NotSent(delivery, Id, options.QueueFor is not null) is { } notSent)
        {
            Tracker.End(commandId, notSent.Outcome, notSent.Message, services.Time.GetUtcNow());
        }
        else
        {
            try
            {
                await start.Result.WaitAsync(options.Timeout, services.Time);
            }
            catch (TimeoutException)
            {
                Tracker.NoAnswer(commandId, options, requestedAt, services.Time.GetUtcNow());
            }
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
            changed = DesiredBook.ReportedPatch(jsonPatch);
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
        if (DesiredBook.Set(DesiredLedger.Changes(model.Interface, before, after), services.Time.GetUtcNow()))
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
}
