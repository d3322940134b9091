using TwinCluster.Dashboard.Services;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Dashboard.Tests.Components;

public sealed class ConditionChartsTests
{
    [Fact]
    public void Markers_are_each_defect_frequency_and_its_harmonics_below_the_top_of_the_spectrum()
    {
        var markers = ConditionCharts.Markers(new DefectFrequencies(100, 150, 40, 10), harmonics: 3, maxHz: 250);

        Assert.Equal(["BPFO x1", "BPFO x2", "BPFI x1", "BSF x1", "BSF x2", "BSF x3", "FTF x1", "FTF x2", "FTF x3"], markers.Select(m => m.Label));
        Assert.Equal(200, markers.Single(m => m.Label == "BPFO x2").Hz);
        Assert.Empty(ConditionCharts.Markers(null, 3, 250));
    }

    [Theory]
    [InlineData("BPFO x2", "BPFO")]
    [InlineData("BPFI x1 - 1x", "BPFI")]
    [InlineData("2xBSF x2 - FTF", "BSF")]
    [InlineData("1x", null)]
    public void A_matched_line_belongs_to_the_family_its_label_names(string label, string? family) =>
        Assert.Equal(family, ConditionCharts.FamilyOf(label));

    [Fact]
    public void Decibels_are_over_the_median_so_a_line_reads_as_its_prominence()
    {
        var db = ConditionCharts.DecibelsOverMedian([1, 1, 1, 10, 1, 0]);

        Assert.Equal(0, db[0], 6);
        Assert.Equal(20, db[3], 6);
        Assert.Equal(0, db[5], 6);
        Assert.Equal(20, ConditionCharts.At(db, 2.0, 6.4), 6);
    }

    [Fact]
    public void Remaining_life_is_told_in_a_sensible_unit_with_half_its_band()
    {
        Assert.Equal("no trend yet", ConditionCharts.Describe(null));
        Assert.Equal("19 days ±6", ConditionCharts.Describe(new RemainingLifeView(19 * 86400, 13 * 86400, 25 * 86400, DateTime.UtcNow)));
        Assert.Equal("5 minutes ±1", ConditionCharts.Describe(new RemainingLifeView(300, 240, 360, DateTime.UtcNow)));
        Assert.StartsWith("0 ", ConditionCharts.Describe(new RemainingLifeView(0, 0, 0, DateTime.UtcNow)), StringComparison.Ordinal);
    }
}
