using System.Collections.Immutable;
using TwinCluster.Simulation.Import;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class LimitsTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task An_oversized_properties_document_is_refused_with_its_size()
    {
        var huge = "{\"name\":\"" + new string('x', 300_000) + "\"}";

        var error = await Assert.ThrowsAsync<TwinOperationException>(() => Grains.GetTwin(new TwinId(Ids.New("wt"))).Create(TestModels.Turbine, huge));

        Assert.Equal(TwinErrorCode.Invalid, error.Code);
        Assert.Contains("at most 262,144", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_import_batch_is_refused_as_a_whole()
    {
        var items = Enumerable.Range(0, 5_001)
            .Select(i => new TwinImportItem(i, Ids.New("b"), TestModels.Turbine, "{}", [], [], ImmutableDictionary<string, string>.Empty))
            .ToImmutableArray();

        var error = await Assert.ThrowsAsync<TwinOperationException>(() => Grains.GetImporter().ImportTwins(items));

        Assert.Contains("at most 5,000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_import_line_over_the_limit_is_reported_and_the_lines_after_it_still_go_in()
    {
        var id = Ids.New("wt");
        var text = new string('x', 5_000) + "\r\n" + $$$"""{"kind":"twin","id":"{{{id}}}","model":"{{{TestModels.Turbine}}}"}""";

        var summary = await new NdjsonImporter(Grains, new ImportOptions { MaxLineLength = 1_000 })
            .ImportAsync(new StringReader(text), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1L, Assert.Single(summary.Errors).Line);
        Assert.Contains("longer than 1,000", summary.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(1, summary.TwinsCreated);
        Assert.NotNull(await Grains.GetTwin(new TwinId(id)).Get());
    }

    [Fact]
    public async Task Lines_end_at_lf_crlf_or_cr_and_the_last_line_needs_no_end()
    {
        var ids = new[] { Ids.New("a"), Ids.New("b"), Ids.New("c"), Ids.New("d") };
        string Line(string id) => $$$"""{"kind":"twin","id":"{{{id}}}","model":"{{{TestModels.Turbine}}}"}""";
        var text = Line(ids[0]) + "\n" + Line(ids[1]) + "\r\n" + Line(ids[2]) + "\r" + Line(ids[3]);

        var summary = await new NdjsonImporter(Grains).ImportAsync(new StringReader(text), cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(summary.Succeeded, string.Join("; ", summary.Errors));
        Assert.Equal(4, summary.TwinsCreated);
        Assert.Equal(4, summary.Lines);
    }
}
