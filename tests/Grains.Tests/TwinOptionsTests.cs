using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TwinCluster.Grains.Index;
using TwinCluster.Grains.Interfaces.Settings;
using TwinCluster.Grains.Telemetry;

namespace TwinCluster.Grains.Tests;

/// <summary>The one way settings are bound and checked: annotations, then rules, each failure naming its key.</summary>
public sealed class TwinOptionsTests
{
    public sealed class PortSettings
    {
        [Range(1, 65535)]
        public int Port { get; set; } = 80;

        public int OtherPort { get; set; } = 81;

        public IEnumerable<string> Problems()
        {
            if (Port == OtherPort)
            {
                yield return $"Test:Port and Test:OtherPort are both {Port}; they must differ";
            }
        }
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void An_annotation_failure_names_the_section_and_member_and_hides_the_rules_until_it_is_fixed()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Config(("Test:Port", "0"), ("Test:OtherPort", "0"))
            .ReadTwinOptions<PortSettings>("Test", o => o.Problems()));

        Assert.Equal(["Test:Port: The field Port must be between 1 and 65535."], error.Failures);
    }

    [Fact]
    public void A_cross_field_rule_fails_with_its_own_message_and_good_settings_are_read()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Config(("Test:Port", "90"), ("Test:OtherPort", "90"))
            .ReadTwinOptions<PortSettings>("Test", o => o.Problems()));
        Assert.Equal(["Test:Port and Test:OtherPort are both 90; they must differ"], error.Failures);

        Assert.Equal(90, Config(("Test:Port", "90")).ReadTwinOptions<PortSettings>("Test", o => o.Problems()).Port);
    }

    [Fact]
    public void A_value_that_does_not_convert_fails_with_the_key_it_is_at()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Config(("Test:Port", "seventy")).ReadTwinOptions<PortSettings>("Test"));

        Assert.Contains("Failed to convert configuration value 'seventy' at 'Test:Port'", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void A_check_that_throws_becomes_a_failure_with_its_message()
    {
        Assert.Equal(["bad: Key"], TwinOptionsValidator<PortSettings>.Throwing(() => throw new ArgumentException("bad: Key")));
        Assert.Empty(TwinOptionsValidator<PortSettings>.Throwing(() => { }));
    }

    [Fact]
    public void Registered_settings_are_bound_from_their_section_and_checked_once_however_often_they_are_registered()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Config(("TwinCluster:Index:Shards", "0"), ("TwinCluster:Telemetry:MaxPending", "5")));
        services.AddTwinOptions<IndexOptions>("TwinCluster:Index", o => o.Problems());
        services.AddTwinOptions<IndexOptions>("TwinCluster:Index", o => o.Problems());
        services.AddTwinOptions<TelemetryOptions>("TwinCluster:Telemetry", o => o.Problems());
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<IndexOptions>>().Value);
        Assert.Equal(["TwinCluster:Index:Shards must be between 1 and 1024"], error.Failures);
        Assert.Equal(5, provider.GetRequiredService<IOptions<TelemetryOptions>>().Value.MaxPending);
    }
}
