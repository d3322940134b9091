using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TwinCluster.Grains.Interfaces.Settings;

/// <summary>
/// The one way settings are bound and checked, in every host: a configuration section bound to an options class,
/// then its data annotations and its own rules (<see cref="TwinOptionsValidator{T}"/>), each failure naming its key.
/// A wrong setting stops start-up with an <see cref="OptionsValidationException"/>, which the hosts print as
/// <c>error: invalid setting: …</c> and exit with code 2.
/// </summary>
public static class TwinOptions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="section"/> (<c>BindConfiguration</c>), checked as
    /// <see cref="TwinOptionsValidator{T}"/> checks it when the host starts (<c>ValidateOnStart</c>).
    /// </summary>
    public static OptionsBuilder<T> AddTwinOptions<T>(this IServiceCollection services, string section, Func<T, IEnumerable<string>>? rules = null)
        where T : class
    {
        // Once per options class, however often a host registers it.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>>(new TwinOptionsValidator<T>(section, rules)));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>
    /// Settings the host needs while it is being built (ports, modes, brokers): bound and checked now, the same way as
    /// <see cref="AddTwinOptions{T}"/>; <paramref name="configure"/> runs after binding and before the checks. A value
    /// that does not convert fails with the binder's message, which names the key.
    /// </summary>
    public static T ReadTwinOptions<T>(this IConfiguration configuration, string section, Func<T, IEnumerable<string>>? rules = null, Action<T>? configure = null)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        T options;
        try
        {
            options = configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException ex)
        {
            // "Failed to convert configuration value 'x' at 'TwinCluster:SiloPort' to type ..." and why.
            throw new OptionsValidationException(section, typeof(T), [ex.InnerException is null ? ex.Message : $"{ex.Message} {ex.InnerException.Message}"]);
        }

        configure?.Invoke(options);
        var result = new TwinOptionsValidator<T>(section, rules).Validate(Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(section, typeof(T), result.Failures ?? []) : options;
    }
}
