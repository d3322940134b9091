using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Tests;

public sealed class TopicTests
{
    [Theory]
    [InlineData("twins/wt-01/telemetry", "wt-01", TopicKind.Telemetry)]
    [InlineData("twins/farm.1:a_b/properties", "farm.1:a_b", TopicKind.Properties)]
    public void Valid_topics_parse_to_twin_and_kind(string topic, string twin, TopicKind kind)
    {
        Assert.True(TelemetryTopic.TryParse(topic, out var parsed));
        Assert.Equal(twin, parsed.TwinId.Value);
        Assert.Equal(kind, parsed.Kind);
        Assert.Equal(topic, parsed.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("twins")]
    [InlineData("twins/")]
    [InlineData("twins//telemetry")]
    [InlineData("twins/wt-01")]
    [InlineData("twins/wt-01/")]
    [InlineData("twins/wt-01/Telemetry")]
    [InlineData("twins/wt-01/telemetry/extra")]
    [InlineData("twins/wt 01/telemetry")]
    [InlineData("twins/-wt/telemetry")]
    [InlineData("twins/+/telemetry")]
    [InlineData("Twins/wt-01/telemetry")]
    [InlineData("/twins/wt-01/telemetry")]
    public void Invalid_topics_are_refused(string? topic)
    {
        Assert.False(TelemetryTopic.TryParse(topic, out _));
    }

    [Fact]
    public void Format_builds_the_topic_of_each_kind()
    {
        var id = new TwinId("wt-01");
        Assert.Equal("twins/wt-01/telemetry", TelemetryTopic.Format(id, TopicKind.Telemetry));
        Assert.Equal("twins/wt-01/properties", TelemetryTopic.Format(id, TopicKind.Properties));
    }

    [Fact]
    public void A_twin_id_of_the_maximum_length_is_accepted_and_one_longer_is_not()
    {
        var longest = new string('a', TwinId.MaxLength);
        Assert.True(TelemetryTopic.TryParse($"twins/{longest}/telemetry", out _));
        Assert.False(TelemetryTopic.TryParse($"twins/{longest}a/telemetry", out _));
    }
}
