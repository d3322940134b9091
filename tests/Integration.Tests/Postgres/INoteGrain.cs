using System.Collections.Immutable;

namespace TwinCluster.Integration.Tests.Postgres;

/// <summary>A small grain that keeps a note in ADO.NET grain storage and manages reminders.</summary>
[Alias("tc.tests.INoteGrain")]
public interface INoteGrain : IGrainWithStringKey
{
    [Alias("Write")]
    Task Write(string text);

    [Alias("Read")]
    Task<NoteState> Read();

    [Alias("AddReminder")]
    Task AddReminder(string name);

    [Alias("RemoveReminder")]
    Task RemoveReminder(string name);

    [Alias("ReminderNames")]
    Task<ImmutableArray<string>> ReminderNames();
}
