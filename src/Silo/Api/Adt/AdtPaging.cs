using System.Globalization;

namespace TwinCluster.Silo.Api.Adt;

/// <summary>Offset paging for ADT lists: <c>max-items-per-page</c> in, an absolute <c>nextLink</c> out.</summary>
public static class AdtPaging
{
    public const int DefaultPageSize = 100;

    public static int PageSize(HttpRequest request)
    {
        var header = request.Headers["max-items-per-page"].ToString();
        if (header.Length == 0)
        {
            return DefaultPageSize;
        }

        return int.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is > 0 and <= 10_000
            ? size
            : throw AdtException.BadRequest($"max-items-per-page '{header}' must be a whole number from 1 to 10000.");
    }

    public static int Offset(HttpRequest request)
    {
        var token = request.Query["continuationToken"].ToString();
        if (token.Length == 0)
        {
            return 0;
        }

        return int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : throw AdtException.BadRequest($"continuationToken '{token}' was not issued by this service.");
    }

    /// <summary>The page at the request's offset and the link to the next one.</summary>
    public static (IReadOnlyList<T> Page, string? NextLink) Page<T>(HttpRequest request, IReadOnlyList<T> all)
    {
        var size = PageSize(request);
        var offset = Offset(request);
        var page = all.Skip(offset).Take(size).ToList();
        if (offset + size >= all.Count)
        {
            return (page, null);
        }

        var query = request.Query.Where(q => q.Key != "continuationToken").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"continuationToken={(offset + size).ToString(CultureInfo.InvariantCulture)}");
        return (page, $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{string.Join('&', query)}");
    }
}
