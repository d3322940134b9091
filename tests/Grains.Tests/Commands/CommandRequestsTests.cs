using TwinCluster.Grains.Commands;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Grains.Models;
using TwinCluster.Modeling;
using static TwinCluster.Grains.Tests.Engines.EngineParts;

namespace TwinCluster.Grains.Tests.Commands;

public sealed class CommandRequestsTests
{
    private static readonly CachedModel Drive = Parse();

    private static CachedModel Parse()
    {
        var model = new ModelParser().ParseClosure(CommandModels.DriveId, [CommandModels.Drive], out var result);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        return new CachedModel(model!, result.Models!);
    }

    private static TwinOperationException Refusal(Action check)
    {
        var refused = Assert.Throws<TwinOperationException>(check);
        Assert.Equal(TwinErrorCode.Invalid, refused.Code);
        return refused;
    }

    [Theory]
    [InlineData(0, null, "timeout 0 s must be above 0")]
    [InlineData(26, null, "timeout 26 s must be above 0 and at most 25 s")]
    [InlineData(10, 5.0, "queueFor 5 s must be at least the timeout")]
    [InlineData(10, 90_000.0, "queueFor 90000 s must be at least the timeout and at most 1 day")]
    public void Timeouts_and_queueing_out_of_range_are_refused_with_their_values(double timeoutSeconds, double? queueSeconds, string message)
    {
        var options = new CommandOptions(TimeSpan.FromSeconds(timeoutSeconds), null, queueSeconds is { } q ? TimeSpan.FromSeconds(q) : null);

        Assert.Contains(message, Refusal(() => CommandRequests.CheckOptions(options)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_command_id_that_cannot_be_a_topic_level_is_refused_and_a_good_one_passes()
    {
        Assert.Contains("may hold only letters", Refusal(() => CommandRequests.CheckOptions(new CommandOptions(TimeSpan.FromSeconds(5), "a/b"))).Message,
            StringComparison.Ordinal);

        CommandRequests.CheckOptions(new CommandOptions(TimeSpan.FromSeconds(5), "c-1.ok", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void An_unknown_command_names_the_commands_the_model_has()
    {
        var refused = Refusal(() => CommandRequests.Check(Drive, CommandModels.DriveId, "reboot", null));

        Assert.Equal($"'reboot' is not a command of model '{CommandModels.DriveId}' (its commands: curtail, stop)", refused.Message);
    }

    [Fact]
    public void A_payload_that_is_not_json_or_does_not_fit_the_schema_is_refused_with_each_problem()
    {
        Assert.Contains("is not JSON", Refusal(() => CommandRequests.Check(Drive, CommandModels.DriveId, "curtail", "{nope")).Message, StringComparison.Ordinal);

        var misfit = Refusal(() => CommandRequests.Check(Drive, CommandModels.DriveId, "curtail", """{"maxPowerKW":"high"}"""));
        Assert.StartsWith("the request of command 'curtail' does not fit its schema: ", misfit.Message, StringComparison.Ordinal);
        Assert.NotEmpty(misfit.Details);
    }

    [Fact]
    public void A_fitting_payload_comes_back_as_its_json_and_a_blank_payload_as_none()
    {
        var (command, payload) = CommandRequests.Check(Drive, CommandModels.DriveId, "curtail", """{ "maxPowerKW" : 1500 }""");
        Assert.Equal("curtail", command.Name);
        Assert.Equal("""{ "maxPowerKW" : 1500 }""".Replace(" ", "", StringComparison.Ordinal), payload!.Replace(" ", "", StringComparison.Ordinal));

        Assert.Null(CommandRequests.Check(Drive, CommandModels.DriveId, "stop", "  ").Payload);
    }

    [Fact]
    public void What_a_send_means_no_relay_and_failures_are_unavailable_no_subscriber_is_offline_delivered_waits()
    {
        Assert.Equal(CommandOutcome.Unavailable, CommandRequests.NotSent(null, "d1", queued: false)!.Value.Outcome);
        Assert.Equal(CommandOutcome.Unavailable, CommandRequests.NotSent(DeliveryResult.Failed, "d1", queued: false)!.Value.Outcome);
        var offline = CommandRequests.NotSent(DeliveryResult.NoSubscribers, "d1", queued: false)!.Value;
        Assert.Equal(CommandOutcome.Offline, offline.Outcome);
        Assert.Contains("queueFor lets the broker keep the request", offline.Message, StringComparison.Ordinal);
        Assert.Contains("none can be kept for it either", CommandRequests.NotSent(DeliveryResult.NoSubscribers, "d1", queued: true)!.Value.Message,
            StringComparison.Ordinal);
        Assert.Null(CommandRequests.NotSent(DeliveryResult.Delivered, "d1", queued: false));
    }

    [Fact]
    public async Task Without_an_answer_a_queued_command_is_parked_until_its_queueing_ends_and_others_time_out()
    {
        var tracker = new CommandTracker("d1");
        var model = Drive.Interface.Commands["stop"];
        var queued = tracker.Begin("q", "stop", model, T0);
        var plain = tracker.Begin("p", "stop", model, T0);

        Assert.True(tracker.NoAnswer("q", new CommandOptions(TimeSpan.FromSeconds(5), "q", TimeSpan.FromMinutes(1)), T0, T0.AddSeconds(5)));
        Assert.True(tracker.NoAnswer("p", new CommandOptions(TimeSpan.FromSeconds(5)), T0, T0.AddSeconds(5)));

        Assert.Equal(CommandOutcome.TimedOut, (await queued.Result).Outcome);
        Assert.Contains("the broker keeps the request", (await queued.Result).Message, StringComparison.Ordinal);
        Assert.Contains("a late answer is only counted", (await plain.Result).Message, StringComparison.Ordinal);
        Assert.Equal(1, tracker.ParkedCount);
        // Parked until the end of the queueing plus a timeout: an answer by then still counts.
        Assert.Equal(0, tracker.Sweep(T0.AddSeconds(65)));
        Assert.Equal(1, tracker.Sweep(T0.AddSeconds(66)));
    }
}
