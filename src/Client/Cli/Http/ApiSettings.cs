namespace TwinCluster.Cli.Http;

/// <summary>
/// Where the CLI finds the HTTP API and how it signs in: each from its option, else its environment variable, else the
/// embedded default's (<c>https://127.0.0.1:8443</c>, the token file the silo wrote, its development CA when present).
/// </summary>
/// <param name="Url">The API's base address.</param>
/// <param name="Token">The bearer token, or null when none was found.</param>
/// <param name="TokenSource">Where the token came from, or where the CLI looked for one (for messages).</param>
/// <param name="CaCertificate">A PEM file holding the one CA to trust, or null for the system trust store.</param>
public sealed record ApiSettings(Uri Url, string? Token, string TokenSource, string? CaCertificate)
{
    /// <summary>The embedded default's address (<c>TwinCluster:HttpsPort</c> 8443 on loopback).</summary>
    public const string DefaultUrl = "https://127.0.0.1:8443";

    /// <summary>Resolves the settings: options first, then <paramref name="environment"/>, then files under <paramref name="home"/>.</summary>
    /// <exception cref="UsageException">A given value is not usable (a URL that is not absolute http(s), a CA file that does not exist).</exception>
    public static ApiSettings Resolve(string? url, string? token, string? caCertificate, Func<string, string?> environment, string home)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var urlText = NonEmpty(url) ?? NonEmpty(environment("TWIN_URL")) ?? DefaultUrl;
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new UsageException($"--url '{urlText}' is not an absolute https:// address (e.g. {DefaultUrl})");
        }

        string? tokenValue;
        string source;
        if (NonEmpty(token) is { } given)
        {
            (tokenValue, source) = (given, "--token");
        }
        else if (NonEmpty(environment("TWIN_TOKEN")) is { } fromEnvironment)
        {
            (tokenValue, source) = (fromEnvironment, "TWIN_TOKEN");
        }
        else
        {
            var file = Path.Combine(SecurityDirectory(environment, home), "token");
            source = file;
            tokenValue = File.Exists(file) ? NonEmpty(File.ReadAllText(file).Trim()) : null;
        }

        string? ca;
        if ((NonEmpty(caCertificate) ?? NonEmpty(environment("TWIN_CACERT"))) is { } givenCa)
        {
            ca = File.Exists(givenCa) ? givenCa : throw new UsageException($"--cacert '{givenCa}': no such file (a PEM file with the CA that signed the silo's certificate)");
        }
        else
        {
            var folder = NonEmpty(environment("TwinCluster__Api__DevelopmentCertificateFolder")) ?? Path.Combine(home, ".twincluster", "https");
            var file = Path.Combine(folder, "ca.pem");
            ca = File.Exists(file) ? file : null;
        }

        return new ApiSettings(uri, tokenValue, source, ca);
    }

    /// <summary>The folder the embedded default writes its token to: TWINCLUSTER_SECURITY_DIR, the silo's own TwinCluster__Security__Directory, or ~/.twincluster.</summary>
    public static string SecurityDirectory(Func<string, string?> environment, string home)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return NonEmpty(environment("TWINCLUSTER_SECURITY_DIR")) ?? NonEmpty(environment("TwinCluster__Security__Directory")) ?? Path.Combine(home, ".twincluster");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
