using System.Text;
using TwinCluster.Grains.Adt;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Wire;

namespace TwinCluster.Grains.Tests;

/// <summary>The ADT document a twin keeps written for point reads: always the document of its current state.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AdtDocumentTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task The_kept_document_is_the_twin_written_now_and_follows_every_change()
    {
        var twin = Grains.GetTwin(new TwinId(Ids.New("wt")));
        Assert.Null(await twin.GetAdtDocument());

        var created = await twin.Create(TestModels.Turbine, """{"name":"WT 1","ratedPowerKW":3600}""");
        var first = await twin.GetAdtDocument();
        Assert.NotNull(first);
        Assert.Equal(created.ETag, first.ETag);
        Assert.Equal(AdtJson.TwinUtf8((await twin.Get())!), first.Utf8);
        // Read again unchanged: the same document.
        Assert.Equal(first.Utf8, (await twin.GetAdtDocument())!.Utf8);

        var patched = await twin.Patch("""[{"op":"replace","path":"/ratedPowerKW","value":4200}]""", created.ETag);
        var second = await twin.GetAdtDocument();
        Assert.NotNull(second);
        Assert.Equal(patched.ETag, second.ETag);
        Assert.NotEqual(first.ETag, second.ETag);
        Assert.Equal(AdtJson.TwinUtf8((await twin.Get())!), second.Utf8);
        var text = Encoding.UTF8.GetString(second.Utf8);
        Assert.Contains("\"ratedPowerKW\":4200", text, StringComparison.Ordinal);
        Assert.Contains("\"$etag\":\"W/\\\"" + patched.ETag + "\\\"\"", text, StringComparison.Ordinal);

        await twin.Delete(patched.ETag, cascade: false);
        Assert.Null(await twin.GetAdtDocument());
    }
}
