using System.Text;
using TwinCluster.Ingress.Pipeline;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Tests;

public sealed class CommandTopicTests
{
    private static readonly TwinId Twin = new("wt-01");

    [Fact]
    public void Requests_and_replies_round_trip_through_their_topics()
    {
        Assert.True(CommandTopics.TryParseRequest(CommandTopics.Request(Twin, "curtail", "c-1"), out var twin, out var name, out var id));
        Assert.Equal((Twin, "curtail", "c-1"), (twin, name, id));
        Assert.True(CommandTopics.TryParseReply(CommandTopics.Reply(Twin, "c-1"), out twin, out id, out var status));
        Assert.Equal((Twin, "c-1", (int?)null), (twin, id, status));
        Assert.True(CommandTopics.TryParseReply(CommandTopics.Reply(Twin, "c-1", 409), out _, out _, out status));
        Assert.Equal(409, status);
    }

    [Theory]
    [InlineData("twins/wt-01/replies")]
    [InlineData("twins/wt-01/replies/c 1")]
    [InlineData("twins/wt-01/replies/c1/ok")]
    [InlineData("twins/wt-01/replies/c1/42")]
    [InlineData("twins/wt-01/telemetry/c1")]
    public void Malformed_reply_topics_are_refused(string topic) =>
        Assert.False(CommandTopics.TryParseReply(topic, out _, out _, out _));

    [Theory]
    [InlineData("twins/wt-01/commands/stop/c1", true)]
    [InlineData("twins/wt-01/desired/document", true)]
    [InlineData("twins/wt-01/replies/c1/200", true)]
    [InlineData("twins/wt-01/telemetry", false)]
    [InlineData("twins/wt-01/properties", false)]
    [InlineData("twins/commands", false)]
    public void Command_traffic_is_told_apart_from_telemetry(string topic, bool expected) =>
        Assert.Equal(expected, CommandTopics.IsCommandTraffic(topic));

    [Theory]
    [InlineData("twins/wt-01/commands/stop/c1", true)]
    [InlineData("twins/wt-01/commands/", true)]
    [InlineData("twins/wt-01/commands", false)]
    [InlineData("twins/wt-01/desired/document", false)]
    [InlineData("twins/wt-01/replies/c1", false)]
    [InlineData("twins//commands/stop/c1", false)]
    [InlineData("twins/commands/stop", false)]
    [InlineData("plant/wt-01/commands/stop/c1", false)]
    [InlineData(null, false)]
    public void Requests_are_recognised_by_their_topic_for_the_brokers_hooks(string? topic, bool expected) =>
        Assert.Equal(expected, CommandTopics.IsRequest(topic));

    [Fact]
    public void Reported_properties_split_plain_values_from_desired_acknowledgements()
    {
        var (patch, acks) = ReportedProperties.Split(Encoding.UTF8.GetBytes(
            """{"firmware":"2.1","maxPowerKW":{"value":1200,"ac":200,"av":3,"ad":"applied"}}"""));
        Assert.Equal("""[{"op":"add","path":"/firmware","value":"2.1"}]""", patch);
        var ack = Assert.Single(acks);
        Assert.Equal(("maxPowerKW", "1200", 200, 3L, "applied"), (ack.Property, ack.ValueJson, ack.Status, ack.Version, ack.Description));

        var (none, only) = ReportedProperties.Split(Encoding.UTF8.GetBytes("""{"maxPowerKW":{"value":1,"ac":400,"av":1}}"""));
        Assert.Null(none);
        Assert.Equal(400, Assert.Single(only).Status);
        Assert.Throws<System.Text.Json.JsonException>(() => ReportedProperties.Split(Encoding.UTF8.GetBytes("""{"x":{"ac":"ok","av":1}}""")));
    }
}
