using TwinCluster.Ingress.Storage;

namespace TwinCluster.Ingress.Mqtt;

/// <summary>
/// What the built-in broker checks devices with: the authenticator (null: only anonymous clients, when allowed) and
/// where refused publishes are recorded.
/// </summary>
/// <param name="Authenticator">Checks user names and passwords.</param>
/// <param name="DeadLetters">Receives a <c>not-authorized</c> dead letter for each refused publish.</param>
public sealed record BrokerSecurity(IDeviceAuthenticator? Authenticator, IDeadLetterStore? DeadLetters);
