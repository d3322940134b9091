using System.Collections.Immutable;

namespace TwinCluster.Grains.Interfaces;

/// <summary>
/// The way down from a twin to its device: commands (DTDL <c>Command</c>) and desired properties (DTDL writable
/// properties, set by an operator's property patch). Part of <see cref="ITwinGrain"/>.
/// </summary>
[Alias("tc.ITwinCommands")]
public interface ITwinCommands : IGrainWithStringKey
{
    /// <summary>
    /// Sends a command and waits for the device's answer. Refused with <see cref="TwinErrorCode.Invalid"/> (nothing
    /// sent) when the twin's model has no such command, the payload does not fit the request schema, or the options
    /// are out of range; <see cref="TwinErrorCode.NotFound"/> when the twin does not exist. Every other end is a
    /// <see cref="CommandResult"/>. Interleaves: a twin waits for many answers at once and keeps serving meanwhile.
    /// </summary>
    [Alias("InvokeCommand"), Orleans.Concurrency.AlwaysInterleave]
    Task<CommandResult> InvokeCommand(string name, string? payloadJson, CommandOptions options);

    /// <summary>A device's answer, from a relay. An answer for no command in flight (late, or a duplicate) is counted and dropped.</summary>
    [Alias("CommandReplied"), Orleans.Concurrency.AlwaysInterleave]
    Task CommandReplied(CommandReply reply);

    /// <summary>The twin's latest commands and their outcomes, newest first (kept in memory, at most 64).</summary>
    [Alias("GetCommands"), Orleans.Concurrency.AlwaysInterleave]
    Task<ImmutableArray<CommandResult>> GetCommands();

    /// <summary>The desired properties, with what the device reported and acknowledged.</summary>
    [Alias("GetDesired")]
    Task<DesiredView> GetDesired();

    /// <summary>
    /// What the device reported (from the ingress): <paramref name="jsonPatch"/> (null: none) sets plain reported
    /// properties as <see cref="ITwinGrain.Patch"/> does, all or nothing, but never makes a desired value of them;
    /// <paramref name="acks"/> acknowledge desired properties. Refusals as for <see cref="ITwinGrain.Patch"/>.
    /// </summary>
    [Alias("ReportProperties")]
    Task ReportProperties(string? jsonPatch, ImmutableArray<DesiredAck> acks);

    /// <summary>Publishes the desired document again (after a relay came back, or to repair a lost retained message).</summary>
    [Alias("PushDesired")]
    Task<bool> PushDesired();
}
