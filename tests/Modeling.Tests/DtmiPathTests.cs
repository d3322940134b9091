namespace TwinCluster.Modeling.Tests;

public sealed class DtmiPathTests
{
    [Theory]
    [InlineData("dtmi:com:example:Thermostat;1", "dtmi/com/example/thermostat-1.json")]
    [InlineData("dtmi:digitaltwins:rec_3_3:core:Space;1", "dtmi/digitaltwins/rec_3_3/core/space-1.json")]
    [InlineData("dtmi:com:example:NoVersion", "dtmi/com/example/noversion.json")]
    public void Dtmi_maps_to_repository_path(string dtmi, string path) => Assert.Equal(path, DtmiPath.ToRelativePath(dtmi));

    [Theory]
    [InlineData("not-a-dtmi")]
    [InlineData("dtmi:com:ex ample;1")]
    [InlineData("dtmi:com:../etc;1")]
    public void Invalid_dtmi_is_rejected(string dtmi) => Assert.Throws<ArgumentException>(() => DtmiPath.ToRelativePath(dtmi));
}
