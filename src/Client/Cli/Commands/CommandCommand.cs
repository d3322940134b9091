using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Cli.Commands;

/// <summary><c>twin command TWIN NAME</c>: sends a DTDL command to the twin's device and prints its answer.</summary>
public static class CommandCommand
{
    public static Command Build()
    {
        var twin = new Argument<string>("twin") { Description = "The twin whose device gets the command." };
        var name = new Argument<string>("name") { Description = "The command, as its model names it (e.g. stop, curtail)." };
        var payload = new Option<string?>("--payload") { Description = "The request payload as JSON (checked against the command's request schema first)." };
        var id = new Option<string?>("--id") { Description = "The command id (new by default). The same id again is answered once: use it to retry safely." };
        var queueFor = new Option<double?>("--queue-for") { Description = "Seconds the broker may keep the request for a disconnected device session (off by default)." };
        var command = new Command("command", "Sends a command to a twin's device and waits --timeout seconds (default 10, at most 25) for its answer: exit 0 when answered; 1 when refused, offline, timed out or answered wrongly.")
        {
            twin, name, payload, id, queueFor,
        };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            // The global --timeout (seconds to reach the cluster) is also the wait for the answer here; 10 s when not given.
            var seconds = ctx.Parse.GetResult(GlobalOptions.Timeout) is { Implicit: false } given ? given.GetValueOrDefault<int>() : CommandOptions.DefaultTimeout.TotalSeconds;
            if (!double.IsFinite(seconds) || seconds <= 0 || seconds > CommandOptions.MaxTimeout.TotalSeconds)
            {
                throw new UsageException($"--timeout {seconds.ToString(CultureInfo.InvariantCulture)} must be above 0 and at most {CommandOptions.MaxTimeout.TotalSeconds:0} seconds");
            }

            var queue = ctx.Value(queueFor);
            if (queue is { } q && (!double.IsFinite(q) || q < seconds))
            {
                throw new UsageException("--queue-for must be at least --timeout");
            }

            var commandId = ctx.Value(id) ?? Guid.NewGuid().ToString("N");
            if (CommandTopics.CheckCommandId(commandId) is { } bad)
            {
                throw new UsageException("--id: " + bad);
            }

            var twinId = TwinId.Check(ctx.Value(twin)) is { } invalid ? throw new UsageException("twin: " + invalid) : ctx.Value(twin);
            using var api = ctx.Api();
            CommandResult result;
            try
            {
                // Over the HTTP API, signed in and audited as command.invoke, like every other command of the CLI.
                result = await api.InvokeCommandAsync(twinId, ctx.Value(name), ctx.Value(payload), seconds, commandId, queue, ct);
            }
            catch (Exception ex) when (ex is Http.ApiUnreachableException || ex is Http.ApiErrorException { Status: >= 500 })
            {
                await Console.Error.WriteLineAsync($"error: the cluster did not answer while command {commandId} was in flight ({ex.GetType().Name}: {ex.Message}). " +
                    $"It may or may not have reached the device; retry with --id {commandId} and a device that honours ids does it once.");
                return ExitCodes.Failed;
            }

            if (ctx.Json)
            {
                CliContext.WriteJson(new
                {
                    twinId = result.TwinId,
                    commandId = result.CommandId,
                    name = result.Name,
                    outcome = JsonNamingPolicy.CamelCase.ConvertName(result.Outcome.ToString()),
                    status = result.Status,
                    payload = result.PayloadJson is null ? (JsonElement?)null : JsonDocument.Parse(result.PayloadJson).RootElement.Clone(),
                    message = result.Message,
                    latencyMs = (result.CompletedAt - result.RequestedAt).TotalMilliseconds,
                });
            }
            else if (result.Outcome == CommandOutcome.Answered)
            {
                Console.WriteLine($"{result.Name} {result.CommandId}: answered {result.Status} in {(result.CompletedAt - result.RequestedAt).TotalMilliseconds:0} ms");
                if (result.PayloadJson is not null)
                {
                    Console.WriteLine(result.PayloadJson);
                }
            }
            else
            {
                await Console.Error.WriteLineAsync($"{result.Name} {result.CommandId}: {JsonNamingPolicy.CamelCase.ConvertName(result.Outcome.ToString())}" +
                    (result.Status is { } status ? $" (status {status})" : "") + $": {result.Message}" + (result.PayloadJson is null ? "" : $"\n{result.PayloadJson}"));
            }

            return result.Outcome == CommandOutcome.Answered ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }
}
