using System.CommandLine;
using TwinCluster.Analytics;
using TwinCluster.Client.Analysis;

namespace TwinCluster.Cli.Commands;

/// <summary>Offline analysis with the same code the grains run: <c>twin analyze</c> and <c>twin rul</c>.</summary>
public static class AnalysisCommands
{
    public static IEnumerable<Command> Build() => [Analyze(), Rul()];

    private static Option<double> SampleRate() => new("--fs") { Description = "Sample rate in Hz.", Required = true };

    private static Option<string?> Channel() => new("--channel") { Description = "Column to analyse, by name or 0-based index (default: the first)." };

    private static Option<ComponentKind> Component() => new("--component")
    {
        Description = "Component kind, for the severity zones (Generic, MainBearing, Gearbox, Generator, ...).",
        DefaultValueFactory = _ => ComponentKind.Generic,
    };

    private static Command Analyze()
    {
        var file = new Argument<string>("file") { Description = "CSV capture: a header, one column per channel, one sample per line." };
        var fs = SampleRate();
        var rpm = new Option<double>("--rpm") { Description = "Shaft speed in rpm.", Required = true };
        var bearing = new Option<string?>("--bearing") { Description = "BALLS,BALL_DIAMETER,PITCH_DIAMETER,CONTACT_ANGLE_DEG (same length unit for both diameters)." };
        var channel = Channel();
        var component = Component();
        var command = new Command("analyze", "Diagnose one vibration capture: indicators, bearing fault frequencies, diagnosis with evidence, severity zone. Offline: no cluster.")
        {
            file, fs, rpm, bearing, channel, component,
        };
        command.SetAction(CliContext.Handler((ctx, _) =>
        {
            var geometry = ctx.Value(bearing) is { } text ? ParseBearing(text) : (BearingGeometry?)null;
            var report = OfflineAnalysis.Analyze(ctx.Value(file), ctx.Value(fs), ctx.Value(rpm), geometry, ctx.Value(channel), ctx.Value(component));
            Console.WriteLine(ctx.Json ? OfflineAnalysis.ToJson(report) : OfflineAnalysis.ToText(report));
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    private static Command Rul()
    {
        var directory = new Argument<string>("dir") { Description = "Folder of CSV captures, taken in file-name order." };
        var fs = SampleRate();
        var interval = new Option<double>("--interval") { Description = "Seconds between captures.", Required = true };
        var rpm = new Option<double?>("--rpm") { Description = "Shaft speed in rpm." };
        var channel = Channel();
        var component = Component();
        var fleet = new Option<string?>("--fleet") { Description = "Folder of run-to-failure histories (one sub-folder of CSV captures each, same layout) to learn the remaining life from." };
        var command = new Command("rul", "Remaining useful life at the end of a series of captures, with an uncertainty band and the state it rests on. Offline: no cluster.")
        {
            directory, fs, interval, rpm, channel, component, fleet,
        };
        command.SetAction(CliContext.Handler((ctx, _) =>
        {
            var report = OfflineRul.Run(ctx.Value(directory), ctx.Value(fs), ctx.Value(interval), ctx.Value(rpm), ctx.Value(channel), ctx.Value(component), fleetDirectory: ctx.Value(fleet));
            Console.WriteLine(ctx.Json ? OfflineRul.ToJson(report) : OfflineRul.ToText(report));
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    private static BearingGeometry ParseBearing(string text)
    {
        try
        {
            return BearingGeometry.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new UsageException($"--bearing '{text}': {ex.Message}");
        }
    }
}
