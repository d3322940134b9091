using System.Collections.Immutable;

namespace TwinCluster.Storage.History;

/// <summary>
/// What one twin saw at one time: the features of one analysed window (<paramref name="Source"/> is the vibration
/// channel) or the scalar channels of one telemetry record (<paramref name="Source"/> is empty). The names are the
/// row's layout and come in few distinct lists, so a row stores only its values.
/// </summary>
/// <param name="TwinId">The twin.</param>
/// <param name="TimeUtc">Signal time (a window's end, a record's timestamp).</param>
/// <param name="Source">The vibration channel of a window; "" for telemetry channels.</param>
/// <param name="Names">Names of the values, in order.</param>
/// <param name="Values">The values (NaN where a feature has none, e.g. RUL before a trend).</param>
public sealed record HistoryRecord(string TwinId, DateTime TimeUtc, string Source, ImmutableArray<string> Names, ImmutableArray<float> Values);
