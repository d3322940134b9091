using Parquet;
using Parquet.Schema;

namespace TwinCluster.Storage.History;

/// <summary>
/// A cold file: one closed day of history as Parquet, one row per point (twin, name, time, value), sorted by twin, so
/// that a reader skips row groups whose twin range (column statistics) holds none it wants.
/// </summary>
public static class ParquetHistoryFile
{
    /// <summary>Points per row group.</summary>
    public const int RowGroupSize = 250_000;

    private static readonly DataField<string> Twin = new("twin");
    private static readonly DataField<string> Name = new("name");
    private static readonly DataField<DateTime> Time = new("ts");
    private static readonly DataField<float> Value = new("value");
    private static readonly ParquetSchema Schema = new(Twin, Name, Time, Value);

    /// <summary>Collects points in row groups and writes them to a stream.</summary>
    public sealed class Writer : IAsyncDisposable
    {
        private readonly ParquetWriter _writer;
        private readonly List<string> _twins = new(RowGroupSize);
        private readonly List<string> _names = new(RowGroupSize);
        private readonly List<DateTime> _times = new(RowGroupSize);
        private readonly List<float> _values = new(RowGroupSize);

        private Writer(ParquetWriter writer) => _writer = writer;

        /// <summary>Points written so far.</summary>
        public long Points { get; private set; }

        /// <summary>Starts a file on <paramref name="stream"/> (Zstd-compressed).</summary>
        public static async Task<Writer> CreateAsync(Stream stream, CancellationToken cancellationToken = default)
        {
            var options = new ParquetOptions { CompressionMethod = CompressionMethod.Zstd };
            var writer = await ParquetWriter.CreateAsync(Schema, stream, options, false, cancellationToken);
            return new Writer(writer);
        }

        /// <summary>Adds a point (in twin order; NaN values are skipped).</summary>
        public async Task AddAsync(string twin, string name, DateTime timeUtc, float value, CancellationToken cancellationToken = default)
        {
            if (float.IsNaN(value))
            {
                return;
            }

            _twins.Add(twin);
            _names.Add(name);
            _times.Add(timeUtc);
            _values.Add(value);
            Points++;
            if (_twins.Count >= RowGroupSize)
            {
                await FlushAsync(cancellationToken);
            }
        }

        /// <summary>Writes the pending row group.</summary>
        public async Task FlushAsync(CancellationToken cancellationToken = default)
        {
            if (_twins.Count == 0)
            {
                return;
            }

            using (var group = _writer.CreateRowGroup())
            {
                await group.WriteAsync(Twin, _twins);
                await group.WriteAsync(Name, _names);
                await group.WriteAsync<DateTime>(Time, _times.ToArray(), null, null, cancellationToken);
                await group.WriteAsync<float>(Value, _values.ToArray(), null, null, cancellationToken);
            }

            _twins.Clear();
            _names.Clear();
            _times.Clear();
            _values.Clear();
        }

        /// <inheritdoc />
        public async ValueTask DisposeAsync()
        {
            await FlushAsync();
            await _writer.DisposeAsync();
        }
    }

    /// <summary>Calls <paramref name="point"/> for each point of <paramref name="twins"/> and <paramref name="names"/> in [from, to).</summary>
    public static async Task ReadAsync(
        string path, IReadOnlySet<string> twins, IReadOnlyList<string> names, DateTime fromUtc, DateTime toUtc,
        Action<string, int, long, double> point, CancellationToken cancellationToken = default)
    {
        var nameIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            nameIndex.TryAdd(names[i], i);
        }

        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream, null, false, cancellationToken);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            if (group.GetStatistics(Twin) is { MinValue: string min, MaxValue: string max }
                && !twins.Any(t => string.CompareOrdinal(t, min) >= 0 && string.CompareOrdinal(t, max) <= 0))
            {
                continue;
            }

            var rows = (int)group.RowCount;
            var twinColumn = new string[rows];
            var nameColumn = new string[rows];
            var timeColumn = new DateTime[rows];
            var valueColumn = new float[rows];
            await group.ReadAsync(Twin, twinColumn, null, cancellationToken);
            await group.ReadAsync(Name, nameColumn, null, cancellationToken);
            await group.ReadAsync<DateTime>(Time, timeColumn, null, cancellationToken);
            await group.ReadAsync<float>(Value, valueColumn, null, cancellationToken);
            for (var i = 0; i < rows; i++)
            {
                var t = timeColumn[i];
                if (t < fromUtc || t >= toUtc || !twins.Contains(twinColumn[i]) || !nameIndex.TryGetValue(nameColumn[i], out var k))
                {
                    continue;
                }

                point(twinColumn[i], k, DateTime.SpecifyKind(t, DateTimeKind.Utc).Ticks, valueColumn[i]);
            }
        }
    }
}
