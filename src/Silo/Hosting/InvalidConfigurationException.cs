namespace TwinCluster.Silo.Hosting;

/// <summary>A setting is wrong or missing; the message names it. Start-up stops.</summary>
public sealed class InvalidConfigurationException(string message) : Exception(message);
