using System.ComponentModel.DataAnnotations;
using System.Net;

namespace TwinCluster.Silo.Hosting;

/// <summary>Checks settings before anything starts, with messages that name the configuration key.</summary>
public static class SettingsValidator
{
    public static TwinSiloOptions Read(IConfiguration configuration)
    {
        TwinSiloOptions options;
        try
        {
            options = configuration.GetSection(TwinSiloOptions.Section).Get<TwinSiloOptions>() ?? new TwinSiloOptions();
        }
        catch (InvalidOperationException ex)
        {
            // The binder's message names the key ("Failed to convert configuration value at 'TwinCluster:SiloPort'").
            throw new InvalidConfigurationException(ex.InnerException is null ? ex.Message : $"{ex.Message} {ex.InnerException.Message}");
        }

        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new InvalidConfigurationException(string.Join("; ", results.Select(r =>
                $"{TwinSiloOptions.Section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}")));
        }

        if (options.SiloPort == options.GatewayPort)
        {
            throw new InvalidConfigurationException($"{TwinSiloOptions.Section}:SiloPort and {TwinSiloOptions.Section}:GatewayPort are both {options.SiloPort}; they must differ");
        }

        if (options.AdvertisedAddress is { Length: > 0 } address && !IPAddress.TryParse(address, out _))
        {
            throw new InvalidConfigurationException($"{TwinSiloOptions.Section}:AdvertisedAddress '{address}' is not an IP address");
        }

        if (options.OtlpEndpoint is { Length: > 0 } otlp && !Uri.TryCreate(otlp, UriKind.Absolute, out _))
        {
            throw new InvalidConfigurationException($"{TwinSiloOptions.Section}:OtlpEndpoint '{otlp}' is not an absolute URI");
        }

        return options;
    }
}
