using TwinCluster.Ingress.Mqtt;

namespace TwinCluster.Ingress.Tests.Mqtt;

public sealed class PacketSizeGuardStreamTests
{
    private const int Limit = 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // A packet: type byte, remaining length (MQTT variable-length encoding), body of that length.
    private static byte[] Packet(byte type, int bodyLength)
    {
        var bytes = new List<byte> { type };
        var length = bodyLength;
        do
        {
            var b = (byte)(length % 128);
            length /= 128;
            bytes.Add(length > 0 ? (byte)(b | 0x80) : b);
        }
        while (length > 0);

        bytes.AddRange(Enumerable.Range(0, bodyLength).Select(i => (byte)(i * 7)));
        return [.. bytes];
    }

    private static async Task<byte[]> ReadAll(Stream stream, int chunk, bool async)
    {
        var output = new MemoryStream();
        var buffer = new byte[chunk];
        while (true)
        {
            var read = async ? await stream.ReadAsync(buffer, Ct) : stream.Read(buffer, 0, buffer.Length);
            if (read == 0)
            {
                return output.ToArray();
            }

            output.Write(buffer, 0, read);
        }
    }

    public static TheoryData<int, bool> Chunks => new() { { 1, false }, { 1, true }, { 3, true }, { 4096, false }, { 4096, true } };

    [Theory]
    [MemberData(nameof(Chunks))]
    public async Task Packets_under_the_limit_pass_byte_for_byte(int chunk, bool async)
    {
        byte[] input =
        [
            .. Packet(0x10, 12),      // CONNECT-sized
            0xC0, 0x00,               // PINGREQ: no body
            .. Packet(0x32, 200),     // two length bytes
            0xE0, 0x00,               // DISCONNECT
            .. Packet(0x30, Limit - 3), // exactly the limit: 1 type + 2 length + body
        ];
        var refusals = new List<string>();
        using var guard = new PacketSizeGuardStream(new MemoryStream(input), Limit, refusals.Add);

        var output = await ReadAll(guard, chunk, async);

        Assert.Equal(input, output);
        Assert.Empty(refusals);
    }

    [Fact]
    public async Task Zero_length_packets_pass_one_after_another()
    {
        byte[] input = [0xC0, 0x00, 0xD0, 0x00, 0xC0, 0x00];
        using var guard = new PacketSizeGuardStream(new MemoryStream(input), 2);

        Assert.Equal(input, await ReadAll(guard, 1, async: true));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_packet_over_the_limit_is_refused_before_its_body_is_read(bool async)
    {
        var packet = Packet(0x30, Limit - 2); // 1 + 2 + 1022 = one byte over
        var inner = new MemoryStream([.. Packet(0xC0, 0), .. packet]);
        var refusals = new List<string>();
        using var guard = new PacketSizeGuardStream(inner, Limit, refusals.Add);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAll(guard, 1, async));

        // PINGREQ (2 bytes) + type byte + 2 length bytes were read; not one body byte.
        Assert.Equal(5, inner.Position);
        var refusal = Assert.Single(refusals);
        Assert.Equal(refusal, error.Message);
        Assert.Contains("1025 bytes", refusal, StringComparison.Ordinal);
        Assert.Contains("1024", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_largest_length_mqtt_allows_is_refused_under_a_small_limit()
    {
        var inner = new MemoryStream([0x30, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x01]);
        var refusals = new List<string>();
        using var guard = new PacketSizeGuardStream(inner, Limit, refusals.Add);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAll(guard, 1, async: true));

        Assert.Equal(5, inner.Position);
        Assert.Contains("268435460 bytes", error.Message, StringComparison.Ordinal);
        Assert.Single(refusals);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    public async Task A_remaining_length_of_five_bytes_is_malformed(int chunk)
    {
        var inner = new MemoryStream([0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00]);
        var refusals = new List<string>();
        using var guard = new PacketSizeGuardStream(inner, int.MaxValue, refusals.Add);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAll(guard, chunk, async: true));

        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
        Assert.Contains("malformed", Assert.Single(refusals), StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_go_through_and_a_limit_must_be_positive()
    {
        var inner = new MemoryStream();
        using var guard = new PacketSizeGuardStream(inner, Limit);

        guard.Write([0x20, 0x02, 0x00, 0x00], 0, 4);

        Assert.Equal([0x20, 0x02, 0x00, 0x00], inner.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new PacketSizeGuardStream(new MemoryStream(), 0));
    }
}
