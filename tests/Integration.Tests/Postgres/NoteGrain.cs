using System.Collections.Immutable;

namespace TwinCluster.Integration.Tests.Postgres;

public sealed class NoteGrain([PersistentState("note", TestSilo.StorageName)] IPersistentState<NoteState> note)
    : Grain, INoteGrain, IRemindable
{
    public async Task Write(string text)
    {
        note.State.Text = text;
        note.State.Writes++;
        await note.WriteStateAsync();
    }

    public Task<NoteState> Read() => Task.FromResult(note.State);

    public Task AddReminder(string name) =>
        this.RegisterOrUpdateReminder(name, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));

    public async Task RemoveReminder(string name)
    {
        var reminder = await this.GetReminder(name)
            ?? throw new InvalidOperationException($"No reminder {name}.");
        await this.UnregisterReminder(reminder);
    }

    public async Task<ImmutableArray<string>> ReminderNames() =>
        [.. (await this.GetReminders()).Select(r => r.ReminderName).Order(StringComparer.Ordinal)];

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
