using System.Text.Json;
using TwinCluster.Grains.Commands;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Modeling;
using static TwinCluster.Grains.Tests.Engines.EngineParts;

namespace TwinCluster.Grains.Tests.Commands;

public sealed class CommandTrackerTests
{
    private static readonly InterfaceModel Model = CommandModels.Parse();

    private static CommandModel Curtail => Model.Commands["curtail"];

    [Fact]
    public async Task A_success_answer_that_fits_the_response_schema_is_answered_with_status_and_payload()
    {
        var tracker = new CommandTracker("d1");
        var start = tracker.Begin("c1", "curtail", Curtail, T0);
        Assert.True(start.Send);
        Assert.True(tracker.Reply(new CommandReply("c1", 200, """{"maxPowerKW":1500}""", T0.AddMilliseconds(20))));
        var result = await start.Result;
        Assert.Equal(CommandOutcome.Answered, result.Outcome);
        Assert.Equal(200, result.Status);
        Assert.Equal(1500, JsonDocument.Parse(result.PayloadJson!).RootElement.GetProperty("maxPowerKW").GetDouble());
        Assert.Equal(0, tracker.InFlightCount);
    }

    [Fact]
    public async Task A_failure_status_is_a_refusal_with_the_devices_status_and_text()
    {
        var tracker = new CommandTracker("d1");
        var start = tracker.Begin("c1", "curtail", Curtail, T0);
        tracker.Reply(new CommandReply("c1", 409, "busy: maintenance", T0));
        var result = await start.Result;
        Assert.Equal(CommandOutcome.Refused, result.Outcome);
        Assert.Equal(409, result.Status);
        Assert.Equal("busy: maintenance", JsonSerializer.Deserialize<string>(result.PayloadJson!));
    }

    [Theory]
    [InlineData("""{"maxPowerKW":"lots"}""", "$.response.maxPowerKW")]
    [InlineData("not json", "not JSON")]
    [InlineData("""{"speed":3}""", "'speed' is not a field")]
    public async Task An_answer_that_does_not_fit_the_response_schema_is_an_invalid_response(string payload, string said)
    {
        var tracker = new CommandTracker("d1");
        var start = tracker.Begin("c1", "curtail", Curtail, T0);
        tracker.Reply(new CommandReply("c1", 200, payload, T0));
        var result = await start.Result;
        Assert.Equal(CommandOutcome.InvalidResponse, result.Outcome);
        Assert.Contains(said, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_id_is_answered_once_a_second_answer_is_dropped_and_a_repeated_start_sends_nothing()
    {
        var tracker = new CommandTracker("d1");
        var first = tracker.Begin("c1", "curtail", Curtail, T0);
        var joined = tracker.Begin("c1", "curtail", Curtail, T0);
        Assert.True(first.Send);
        Assert.False(joined.Send);
        Assert.True(tracker.Reply(new CommandReply("c1", 200, """{"maxPowerKW":1}""", T0)));
        Assert.False(tracker.Reply(new CommandReply("c1", 200, """{"maxPowerKW":2}""", T0)));
        Assert.Equal(1, tracker.UnmatchedReplies);
        Assert.Same(await first.Result, await joined.Result);
        var again = tracker.Begin("c1", "curtail", Curtail, T0.AddSeconds(5));
        Assert.False(again.Send);
        Assert.Equal(1, JsonDocument.Parse((await again.Result).PayloadJson!).RootElement.GetProperty("maxPowerKW").GetDouble());
    }

    [Fact]
    public async Task An_end_without_answer_wins_over_a_late_answer()
    {
        var tracker = new CommandTracker("d1");
        var start = tracker.Begin("c1", "stop", Model.Commands["stop"], T0);
        Assert.True(tracker.End("c1", CommandOutcome.TimedOut, "no answer", T0.AddSeconds(2)));
        Assert.False(tracker.Reply(new CommandReply("c1", 200, """{"state":"stopped"}""", T0.AddSeconds(3))));
        Assert.Equal(CommandOutcome.TimedOut, (await start.Result).Outcome);
        Assert.Single(tracker.Recent);
    }

    [Fact]
    public async Task A_parked_queued_command_ends_timed_out_for_its_caller_and_a_later_answer_in_time_becomes_its_outcome()
    {
        var tracker = new CommandTracker("d1");
        var start = tracker.Begin("c1", "curtail", Curtail, T0);
        Assert.True(tracker.Park("c1", "kept at the broker", T0.AddSeconds(61), T0.AddSeconds(1)));
        Assert.Equal(CommandOutcome.TimedOut, (await start.Result).Outcome);
        Assert.Equal(1, tracker.ParkedCount);
        Assert.Equal(0, tracker.Sweep(T0.AddSeconds(30)));

        Assert.True(tracker.Reply(new CommandReply("c1", 200, """{"maxPowerKW":700}""", T0.AddSeconds(40))));
        var recorded = Assert.Single(tracker.Recent);
        Assert.Equal((CommandOutcome.Answered, 200, T0, T0.AddSeconds(40)), (recorded.Outcome, recorded.Status!.Value, recorded.RequestedAt, recorded.CompletedAt));
        Assert.Equal(0, tracker.ParkedCount);
        // A second answer is a duplicate; asking again by id gives the answer without sending.
        Assert.False(tracker.Reply(new CommandReply("c1", 200, """{"maxPowerKW":1}""", T0.AddSeconds(41))));
        var again = tracker.Begin("c1", "curtail", Curtail, T0.AddSeconds(42));
        Assert.False(again.Send);
        Assert.Equal(CommandOutcome.Answered, (await again.Result).Outcome);
    }

    [Fact]
    public void A_parked_command_not_answered_in_time_is_expired_by_the_sweep_and_a_later_answer_is_only_counted()
    {
        var tracker = new CommandTracker("d1");
        tracker.Begin("c1", "stop", Model.Commands["stop"], T0);
        tracker.Begin("c2", "stop", Model.Commands["stop"], T0);
        tracker.Park("c1", "kept", T0.AddSeconds(3), T0.AddSeconds(1));
        tracker.End("c2", CommandOutcome.TimedOut, "not queued", T0.AddSeconds(1));
        Assert.False(tracker.Reply(new CommandReply("c1", 200, """{"state":"stopped"}""", T0.AddSeconds(4))));
        Assert.Equal(1, tracker.UnmatchedReplies);
        Assert.Equal(1, tracker.Sweep(T0.AddSeconds(4)));
        var byId = tracker.Recent.ToDictionary(r => r.CommandId);
        Assert.Equal(CommandOutcome.Expired, byId["c1"].Outcome);
        Assert.Contains("expired undelivered", byId["c1"].Message, StringComparison.Ordinal);
        Assert.Equal(CommandOutcome.TimedOut, byId["c2"].Outcome);
        Assert.Equal(0, tracker.Sweep(T0.AddSeconds(100)));
        Assert.False(tracker.Park("c2", "already ended", T0.AddSeconds(9), T0.AddSeconds(5)));
    }

    [Fact]
    public void Recent_outcomes_are_bounded_newest_first()
    {
        var tracker = new CommandTracker("d1", keep: 3);
        for (var i = 0; i < 5; i++)
        {
            tracker.Begin($"c{i}", "stop", Model.Commands["stop"], T0);
            tracker.End($"c{i}", CommandOutcome.Offline, "offline", T0);
        }

        Assert.Equal(["c4", "c3", "c2"], tracker.Recent.Select(r => r.CommandId));
        // c0 is forgotten: starting it again sends it again.
        Assert.True(tracker.Begin("c0", "stop", Model.Commands["stop"], T0).Send);
    }

    [Theory]
    [InlineData(null, "command.request.missing")]
    [InlineData("""{"maxPowerKW":"x"}""", "$.request.maxPowerKW")]
    [InlineData("""{"maxPowerKW":1200}""", null)]
    public void Requests_are_checked_against_the_request_schema_naming_the_field(string? payload, string? expected)
    {
        using var document = payload is null ? null : JsonDocument.Parse(payload);
        var errors = CommandValidator.ValidateRequest(Curtail, document?.RootElement);
        if (expected is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(errors, e => e.Code == expected || e.Path == expected);
        }
    }

    [Fact]
    public void A_command_without_a_request_refuses_a_payload()
    {
        using var document = JsonDocument.Parse("{}");
        Assert.Contains(CommandValidator.ValidateRequest(Model.Commands["stop"], document.RootElement), e => e.Code == "command.request.unexpected");
        Assert.Empty(CommandValidator.ValidateRequest(Model.Commands["stop"], null));
    }
}
