using Parquet;
using Parquet.Schema;

namespace TwinCluster.Storage.History;

/// <summary>
/// A cold file: one closed day of history as Parquet, one row per point (twin, name, time, value). The points come in
/// twin order and are written in chunks of whole twins (about <see cref="ChunkPoints"/> points); each chunk is one row
/// group per name, so a row group holds one name over a narrow twin range and its column statistics let a reader skip
/// what it does not want: a trend of one feature for the whole fleet reads one row group of each chunk (1/26 of a
/// window's features), one twin's trend one row group per asked name. Files written before this layout (row groups
/// of mixed names) are read the same way, only with fewer groups skipped.
/// </summary>
public static class ParquetHistoryFile
{
    /// <summary>Points per chunk of twins (a twin's points of the day stay in one chunk unless it alone has four times this).</summary>
    public const int ChunkPoints = 1_000_000;

    private static readonly DataField<string> Twin = new("twin");
    private static readonly DataField<string> Name = new("name");
    private static readonly DataField<DateTime> Time = new("ts");
    private static readonly DataField<float> Value = new("value");
    private static readonly ParquetSchema Schema = new(Twin, Name, Time, Value);

    /// <summary>Collects points in chunks of whole twins and writes each chunk as one row group per name.</summary>
    public sealed class Writer : IAsyncDisposable
    {
        private readonly ParquetWriter _writer;
        private readonly int _chunkPoints;
        private readonly SortedDictionary<string, Column> _columns = new(StringComparer.Ordinal);
        private string? _lastTwin;
        private int _pending;

        private Writer(ParquetWriter writer, int chunkPoints) => (_writer, _chunkPoints) = (writer, chunkPoints);

        /// <summary>Points written so far.</summary>
        public long Points { get; private set; }

        /// <summary>Row groups written so far.</summary>
        public int RowGroups { get; private set; }

        /// <summary>Starts a file on <paramref name="stream"/> (Zstd-compressed), in chunks of about <see cref="ChunkPoints"/> points.</summary>
        public static Task<Writer> CreateAsync(Stream stream, CancellationToken cancellationToken = default) =>
            CreateAsync(stream, ChunkPoints, cancellationToken);

        /// <summary>Starts a file on <paramref name="stream"/> (Zstd-compressed), in chunks of about <paramref name="chunkPoints"/> points.</summary>
        public static async Task<Writer> CreateAsync(Stream stream, int chunkPoints, CancellationToken cancellationToken = default)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(chunkPoints, 1);
            var options = new ParquetOptions { CompressionMethod = CompressionMethod.Zstd };
            var writer = await ParquetWriter.CreateAsync(Schema, stream, options, false, cancellationToken);
            return new Writer(writer, chunkPoints);
        }

        /// <summary>Adds a point (in twin order; NaN values are skipped).</summary>
        public async Task AddAsync(string twin, string name, DateTime timeUtc, float value, CancellationToken cancellationToken = default)
        {
            if (float.IsNaN(value))
            {
                return;
            }

            if (_pending >= _chunkPoints && (!string.Equals(twin, _lastTwin, StringComparison.Ordinal) || _pending >= 4L * _chunkPoints))
            {
                await FlushAsync(cancellationToken);
            }

            if (!_columns.TryGetValue(name, out var column))
            {
                column = new Column();
                _columns[name] = column;
            }

            column.Twins.Add(twin);
            column.Times.Add(timeUtc);
            column.Values.Add(value);
            _lastTwin = twin;
            _pending++;
            Points++;
        }

        /// <summary>Writes the pending chunk: one row group per name, in name order.</summary>
        public async Task FlushAsync(CancellationToken cancellationToken = default)
        {
            foreach (var (name, column) in _columns)
            {
                if (column.Twins.Count == 0)
                {
                    continue;
                }

                using (var group = _writer.CreateRowGroup())
                {
                    await group.WriteAsync(Twin, column.Twins);
                    await group.WriteAsync(Name, new RepeatedName(name, column.Twins.Count));
                    await group.WriteAsync<DateTime>(Time, column.Times.ToArray(), null, null, cancellationToken);
                    await group.WriteAsync<float>(Value, column.Values.ToArray(), null, null, cancellationToken);
                }

                RowGroups++;
                column.Twins.Clear();
                column.Times.Clear();
                column.Values.Clear();
            }

            _pending = 0;
        }

        /// <inheritdoc />
        public async ValueTask DisposeAsync()
        {
            await FlushAsync();
            await _writer.DisposeAsync();
        }

        private sealed class Column
        {
            public List<string> Twins { get; } = [];

            public List<DateTime> Times { get; } = [];

            public List<float> Values { get; } = [];
        }

        private sealed class RepeatedName(string name, int count) : IReadOnlyCollection<string>
        {
            public int Count => count;

            public IEnumerator<string> GetEnumerator() => Enumerable.Repeat(name, count).GetEnumerator();

            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }

    /// <summary>
    /// Calls <paramref name="point"/> for each point of <paramref name="twins"/> and <paramref name="names"/> in [from, to).
    /// Row groups whose statistics show no wanted name, twin or time are not read; in a row group of one name the name
    /// column is not read either.
    /// </summary>
    /// <returns>The row groups read and the row groups in the file.</returns>
    public static async Task<(int Read, int Total)> ReadAsync(
        string path, IReadOnlySet<string> twins, IReadOnlyList<string> names, DateTime fromUtc, DateTime toUtc,
        Action<string, int, long, double> point, CancellationToken cancellationToken = default)
    {
        var nameIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            nameIndex.TryAdd(names[i], i);
        }

        var read = 0;
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream, null, false, cancellationToken);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var only = -1;
            if (group.GetStatistics(Name) is { MinValue: string firstName, MaxValue: string lastName })
            {
                if (!nameIndex.Keys.Any(n => Within(n, firstName, lastName)))
                {
                    continue;
                }

                if (string.Equals(firstName, lastName, StringComparison.Ordinal))
                {
                    only = nameIndex[firstName];
                }
            }

            if (group.GetStatistics(Twin) is { MinValue: string min, MaxValue: string max } && !twins.Any(t => Within(t, min, max)))
            {
                continue;
            }

            if (group.GetStatistics(Time) is { MinValue: DateTime earliest, MaxValue: DateTime latest } && (latest < fromUtc || earliest >= toUtc))
            {
                continue;
            }

            read++;
            var rows = (int)group.RowCount;
            var twinColumn = new string[rows];
            var nameColumn = only < 0 ? new string[rows] : null;
            var timeColumn = new DateTime[rows];
            var valueColumn = new float[rows];
            await group.ReadAsync(Twin, twinColumn, null, cancellationToken);
            if (nameColumn is not null)
            {
                await group.ReadAsync(Name, nameColumn, null, cancellationToken);
            }

            await group.ReadAsync<DateTime>(Time, timeColumn, null, cancellationToken);
            await group.ReadAsync<float>(Value, valueColumn, null, cancellationToken);
            string? lastTwin = null;
            var wantedTwin = false;
            for (var i = 0; i < rows; i++)
            {
                var t = timeColumn[i];
                if (t < fromUtc || t >= toUtc)
                {
                    continue;
                }

                var twin = twinColumn[i];
                if (!ReferenceEquals(twin, lastTwin))
                {
                    // Consecutive rows of one twin usually share the dictionary's string.
                    (lastTwin, wantedTwin) = (twin, twins.Contains(twin));
                }

                if (!wantedTwin)
                {
                    continue;
                }

                var k = only;
                if (nameColumn is not null && !nameIndex.TryGetValue(nameColumn[i], out k))
                {
                    continue;
                }

                point(twin, k, DateTime.SpecifyKind(t, DateTimeKind.Utc).Ticks, valueColumn[i]);
            }
        }

        return (read, reader.RowGroupCount);
    }

    private static bool Within(string value, string min, string max) =>
        string.CompareOrdinal(value, min) >= 0 && string.CompareOrdinal(value, max) <= 0;
}
