using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using TwinCluster.Grains.Interfaces;
using TwinCluster.Modeling;

namespace TwinCluster.Grains.Commands;

/// <summary>
/// A twin's desired properties, without Orleans or MQTT (IoT Plug and Play convention). An operator's change of
/// writable properties (<see cref="Set"/>) bumps the document version and marks the changed properties pending at
/// it; the device acknowledges each with the value it has, a status (<c>ac</c>), the version it answers (<c>av</c>) and
/// a description (<c>ad</c>). An acknowledgement for an older version than the one desired leaves the property
/// <see cref="DesiredAckState.Stale"/>. The grain stores <see cref="State"/> and pushes <see cref="Document"/>.
/// </summary>
public sealed class DesiredLedger(DesiredState state)
{
    /// <summary>The state to store.</summary>
    public DesiredState State { get; } = state;

    /// <summary>
    /// The writable top-level properties whose value differs between two property documents: name → the new value
    /// as JSON text, or null when it was removed.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Changes(InterfaceModel model, string beforeJson, string afterJson)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var before = JsonDocument.Parse(beforeJson);
        using var after = JsonDocument.Parse(afterJson);
        var changes = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in CommandValidator.WritableProperties(model))
        {
            var had = before.RootElement.TryGetProperty(property.Name, out var old);
            var has = after.RootElement.TryGetProperty(property.Name, out var now);
            if (has && (!had || !JsonElement.DeepEquals(old, now)))
            {
                changes[property.Name] = now.GetRawText();
            }
            else if (had && !has)
            {
                changes[property.Name] = null;
            }
        }

        return changes;
    }

    /// <summary>Takes an operator's changes (from <see cref="Changes"/>); true when the document changed (then it must be pushed).</summary>
    public bool Set(IReadOnlyDictionary<string, string?> changes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return false;
        }

        State.Version++;
        State.Pushed = false;
        foreach (var (name, value) in changes)
        {
            if (value is null)
            {
                State.Properties.Remove(name);
                continue;
            }

            var entry = State.Properties.TryGetValue(name, out var held) ? held : State.Properties[name] = new DesiredEntry();
            entry.DesiredJson = value;
            entry.Version = State.Version;
            entry.SetAt = now;
            entry.State = DesiredAckState.Pending;
        }

        return true;
    }

    /// <summary>Takes a device's acknowledgement; false when the property was never desired (then only nothing changes).</summary>
    public bool Acknowledge(DesiredAck ack, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ack);
        if (!State.Properties.TryGetValue(ack.Property, out var entry))
        {
            return false;
        }

        entry.ReportedJson = ack.ValueJson;
        entry.AckStatus = ack.Status;
        entry.AckVersion = ack.Version;
        entry.AckDescription = ack.Description;
        entry.AckedAt = now;
        entry.State = ack.Version < entry.Version ? DesiredAckState.Stale
            : ack.Status >= 400 ? DesiredAckState.Refused
            : ack.Status is >= 200 and <= 299 and not 202 ? DesiredAckState.Accepted
            : DesiredAckState.Pending;   // 202 and the like: the device is still working on it
        return true;
    }

    /// <summary>
    /// A device's report as a JSON patch: the values it holds of desired properties are recorded as its own values, not
    /// as new desired values. True when any was.
    /// </summary>
    public bool ReportedPatch(string jsonPatch)
    {
        var changed = false;
        using var operations = JsonDocument.Parse(jsonPatch);
        foreach (var operation in operations.RootElement.EnumerateArray())
        {
            if (operation.TryGetProperty("path", out var path) && path.GetString() is ['/', .. var member] && operation.TryGetProperty("value", out var value))
            {
                changed |= Reported(member.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal), value.GetRawText());
            }
        }

        return changed;
    }

    /// <summary>A plain reported value of a desired property (no acknowledgement): recorded as the device's value only.</summary>
    public bool Reported(string property, string valueJson)
    {
        if (!State.Properties.TryGetValue(property, out var entry))
        {
            return false;
        }

        entry.ReportedJson = valueJson;
        return true;
    }

    /// <summary>The document the device gets: <c>{"$version": N, "name": value, …}</c> with every desired property.</summary>
    public string Document()
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteNumber("$version", State.Version);
            foreach (var (name, entry) in State.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(name);
                writer.WriteRawValue(entry.DesiredJson, skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>The view for callers.</summary>
    public DesiredView View(string twinId) => new(twinId, State.Version,
        [.. State.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new DesiredProperty(p.Key, p.Value.DesiredJson, p.Value.Version,
            p.Value.SetAt, p.Value.State, p.Value.ReportedJson, p.Value.AckStatus, p.Value.AckVersion, p.Value.AckDescription, p.Value.AckedAt))],
        State.Pushed);
}
