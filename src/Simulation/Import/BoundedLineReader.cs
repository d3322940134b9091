using System.Text;

namespace TwinCluster.Simulation.Import;

/// <summary>
/// Reads lines without ever holding more than a limit in memory: a longer line is skipped to its end and reported
/// as truncated, so one giant line cannot exhaust the client.
/// </summary>
internal sealed class BoundedLineReader(TextReader reader, int maxLength)
{
    private readonly char[] _buffer = new char[8192];
    private readonly StringBuilder _line = new();
    private int _position;
    private int _count;

    public readonly record struct Line(string Text, bool Truncated);

    public async Task<Line?> ReadAsync(CancellationToken cancellationToken)
    {
        _line.Clear();
        var truncated = false;
        var any = false;
        while (true)
        {
            if (_position == _count)
            {
                _count = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
                _position = 0;
                if (_count == 0)
                {
                    return any ? new Line(_line.ToString(), truncated) : null;
                }
            }

            any = true;
            var span = _buffer.AsSpan(_position, _count - _position);
            var end = span.IndexOfAny('\n', '\r');
            if (end >= 0 && _line.Length == 0 && !truncated && end <= maxLength && (span[end] == '\n' || end + 1 < span.Length))
            {
                // The common case: the whole line is in the buffer; one copy, no builder.
                var text = new string(span[..end]);
                _position += end + 1;
                if (span[end] == '\r' && _buffer[_position] == '\n')
                {
                    _position++;
                }

                return new Line(text, false);
            }

            var take = end < 0 ? span : span[..end];
            if (!truncated && _line.Length + take.Length <= maxLength)
            {
                _line.Append(take);
            }
            else
            {
                truncated = true;
                _line.Clear();
            }

            if (end < 0)
            {
                _position = _count;
                continue;
            }

            _position += end + 1;
            if (span[end] == '\r' && (_position < _count ? _buffer[_position] == '\n' : await PeekNewline(cancellationToken)))
            {
                _position++;
            }

            return new Line(_line.ToString(), truncated);
        }
    }

    private async Task<bool> PeekNewline(CancellationToken cancellationToken)
    {
        _count = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
        _position = 0;
        return _count > 0 && _buffer[0] == '\n';
    }
}
