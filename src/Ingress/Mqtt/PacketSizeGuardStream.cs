namespace TwinCluster.Ingress.Mqtt;

/// <summary>
/// A read-through stream that follows MQTT's framing (a type byte, a 1–4 byte remaining length, the body) and fails
/// the connection as soon as a packet announces more than <see cref="MaxPacketBytes"/>. MQTTnet's server allocates a
/// packet's body from the announced length before it knows who is talking; this stops that allocation.
/// </summary>
/// <param name="inner">The connection's stream.</param>
/// <param name="maxPacketBytes">The largest packet let through.</param>
/// <param name="refused">Told why, when a packet is refused (MQTTnet swallows the exception into a disconnect).</param>
public sealed class PacketSizeGuardStream(Stream inner, int maxPacketBytes, Action<string>? refused = null) : Stream
{
    private enum Part { TypeByte, Length, Body }

    private Part _part = Part.TypeByte;
    private int _length;
    private int _lengthShift;
    private long _bodyLeft;

    /// <summary>The largest packet (fixed header included) let through.</summary>
    public int MaxPacketBytes { get; } = maxPacketBytes > 0 ? maxPacketBytes : throw new ArgumentOutOfRangeException(nameof(maxPacketBytes));

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => inner.CanWrite;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Inspect(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        return Inspect(buffer.Span[..read]);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    /// <inheritdoc />
    public override void Flush() => inner.Flush();

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Inspect(ReadOnlySpan<byte> read)
    {
        var i = 0;
        while (i < read.Length)
        {
            switch (_part)
            {
                case Part.TypeByte:
                    _part = Part.Length;
                    _length = 0;
                    _lengthShift = 0;
                    i++;
                    break;
                case Part.Length:
                    var b = read[i++];
                    _length |= (b & 0x7F) << _lengthShift;
                    _lengthShift += 7;
                    if ((b & 0x80) == 0)
                    {
                        // Type byte + length bytes + body.
                        var total = 1L + _lengthShift / 7 + _length;
                        if (total > MaxPacketBytes)
                        {
                            var reason = $"MQTT packet of {total} bytes is over the broker's limit of {MaxPacketBytes} bytes; closing the connection";
                            refused?.Invoke(reason);
                            throw new InvalidDataException(reason);
                        }

                        _bodyLeft = _length;
                        _part = _bodyLeft == 0 ? Part.TypeByte : Part.Body;
                    }
                    else if (_lengthShift >= 28)
                    {
                        const string reason = "malformed MQTT remaining length; closing the connection";
                        refused?.Invoke(reason);
                        throw new InvalidDataException(reason);
                    }

                    break;
                default:
                    var take = (int)Math.Min(_bodyLeft, read.Length - i);
                    i += take;
                    _bodyLeft -= take;
                    if (_bodyLeft == 0)
                    {
                        _part = Part.TypeByte;
                    }

                    break;
            }
        }

        return read.Length;
    }
}
