using System.Globalization;

namespace TwinCluster.Ingress.Storage;

// The opaque continuation of a dead-letter listing: the (received_at, id) of the last item returned, as "ticks:id".
internal readonly record struct DeadLetterCursor(long UtcTicks, long Id)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{UtcTicks}:{Id}");

    public static DeadLetterCursor? Parse(string? token)
    {
        if (token is null)
        {
            return null;
        }

        var parts = token.Split(':');
        if (parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return new DeadLetterCursor(ticks, id);
        }

        throw new ArgumentException($"'{token}' is not a dead-letter continuation token.", nameof(token));
    }

    // Newest first: (received_at DESC, id DESC).
    public bool IsAfter(long utcTicks, long id) => utcTicks < UtcTicks || (utcTicks == UtcTicks && id < Id);
}
