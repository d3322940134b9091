using System.Text;
using System.Text.Json;
using TwinCluster.Ingress.Pipeline;

namespace TwinCluster.Ingress.Tests.Pipeline;

public sealed class ReportedPropertiesTests
{
    private static string Patch(string json) => ReportedProperties.ToPatch(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Each_property_becomes_an_add_operation_with_its_value_unchanged()
    {
        using var patch = JsonDocument.Parse(Patch("""{"firmware":"2.1","rpm":1450.5,"limits":{"max":[1,2]},"ok":true,"note":null}"""));

        var operations = patch.RootElement.EnumerateArray().ToList();
        Assert.Equal(5, operations.Count);
        Assert.All(operations, o => Assert.Equal("add", o.GetProperty("op").GetString()));
        Assert.Equal(["/firmware", "/rpm", "/limits", "/ok", "/note"], operations.Select(o => o.GetProperty("path").GetString()));
        Assert.Equal("2.1", operations[0].GetProperty("value").GetString());
        Assert.Equal(1450.5, operations[1].GetProperty("value").GetDouble());
        Assert.Equal("""{"max":[1,2]}""", operations[2].GetProperty("value").GetRawText());
        Assert.True(operations[3].GetProperty("value").GetBoolean());
        Assert.Equal(JsonValueKind.Null, operations[4].GetProperty("value").ValueKind);
    }

    [Theory]
    [InlineData("a/b", "/a~1b")]
    [InlineData("c~d", "/c~0d")]
    [InlineData("~1", "/~01")]
    [InlineData("/~/", "/~1~0~1")]
    [InlineData("", "/")]
    public void Member_names_are_escaped_as_json_pointers(string name, string path)
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, int> { [name] = 1 });

        using var patch = JsonDocument.Parse(Patch(json));

        Assert.Equal(path, patch.RootElement[0].GetProperty("path").GetString());
    }

    [Fact]
    public void The_whole_patch_is_exact_text()
    {
        Assert.Equal("""[{"op":"add","path":"/firmware","value":"2.1"},{"op":"add","path":"/a~1b","value":3}]""",
            Patch("""{"firmware":"2.1","a/b":3}"""));
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("""[{"firmware":"2.1"}]""")]
    [InlineData("3")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"firmware":""")]
    [InlineData("")]
    public void Anything_but_a_non_empty_object_is_refused(string json)
    {
        Assert.ThrowsAny<JsonException>(() => Patch(json));
    }
}
