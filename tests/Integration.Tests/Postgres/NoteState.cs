namespace TwinCluster.Integration.Tests.Postgres;

[GenerateSerializer, Alias("tc.tests.NoteState")]
public sealed class NoteState
{
    [Id(0)]
    public string? Text { get; set; }

    [Id(1)]
    public int Writes { get; set; }
}
