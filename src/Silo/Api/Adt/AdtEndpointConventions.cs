namespace TwinCluster.Silo.Api.Adt;

/// <summary>OpenAPI metadata shared by the ADT endpoints.</summary>
public static class AdtEndpointConventions
{
    /// <summary>Declares the error envelope for the given status codes.</summary>
    public static RouteHandlerBuilder ProducesAdtErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.Produces<AdtErrorResponse>(status);
        }

        return builder;
    }
}
