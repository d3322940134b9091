using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TwinCluster.Grains.Security;

/// <summary>Registers the security services the grains and the HTTP API use.</summary>
public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// The audit log (in memory unless an <see cref="IAuditLog"/> was registered before, e.g. PostgreSQL), the API
    /// token service, the authorization service, and the JWT options from <c>TwinCluster:Auth:Jwt</c>, validated at
    /// start.
    /// </summary>
    public static IServiceCollection AddTwinSecurityServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAuditLog>(_ => new InMemoryAuditLog());
        services.TryAddSingleton<ApiTokenService>();
        services.TryAddSingleton<AuthorizationService>();
        services.AddOptions<JwtOptions>().BindConfiguration(JwtOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<JwtOptions>, JwtOptionsValidator>());
        return services;
    }
}
