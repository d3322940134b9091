using System.Text.Json;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Models;
using TwinCluster.Modeling;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Commands;

/// <summary>
/// What a twin decides about a command request, without Orleans or MQTT: whether its options and its payload are
/// acceptable (each refusal names what is wrong), and what a relay's answer to sending it means.
/// </summary>
public static class CommandRequests
{
    /// <summary>The caller's options: a timeout, a queueing time and a command id that the broker and the device can take.</summary>
    public static void CheckOptions(CommandOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
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
    }

    /// <summary>The command <paramref name="name"/> of the twin's model, and its request payload checked against the command's schema (compact JSON, or null).</summary>
    public static (CommandModel Command, string? Payload) Check(CachedModel model, string modelId, string name, string? payloadJson)
    {
        ArgumentNullException.ThrowIfNull(model);
        var command = CommandValidator.Find(model.Interface, model.Set, name)
            ?? throw new TwinOperationException(TwinErrorCode.Invalid, $"'{name}' is not a command of model '{modelId}'" +
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

    /// <summary>How a command ends that the relay did not get to a device (null: it was sent, wait for the answer).</summary>
    public static (CommandOutcome Outcome, string Message)? NotSent(DeliveryResult? delivery, string twinId, bool queued) => delivery switch
    {
        null => (CommandOutcome.Unavailable, "no relay to the MQTT broker is registered (is the ingress running?); nothing was sent"),
        DeliveryResult.NoSubscribers => (CommandOutcome.Offline, queued
            ? $"no device session subscribes to twin '{twinId}''s commands, so none can be kept for it either; nothing was sent"
            : $"no connected device session takes twin '{twinId}''s commands (none subscribes, or its session is kept but not connected: queueFor lets the broker keep the request for it); nothing was sent"),
        DeliveryResult.Failed => (CommandOutcome.Unavailable, "the relay could not publish the request to the broker; nothing was sent"),
        _ => null,
    };
}
