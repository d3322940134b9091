using System.Net;
using TwinCluster.Cli;
using TwinCluster.Cli.Http;

namespace TwinCluster.Client.Tests;

/// <summary>
/// Where the CLI's HTTP connection comes from: the option, else its environment variable, else the embedded default's
/// address and files under the home folder (a temporary one here, never the real ~/.twincluster).
/// </summary>
public sealed class ApiSettingsTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("twin-settings-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    private string WriteHomeFile(string relative, string text)
    {
        var path = Path.Combine(_home, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void With_nothing_given_it_is_the_embedded_default_and_the_files_it_wrote()
    {
        var token = WriteHomeFile(".twincluster/token", "tct_abc_secret\n");
        var ca = WriteHomeFile(".twincluster/https/ca.pem", "pem");

        var settings = ApiSettings.Resolve(null, null, null, Env(), _home);

        Assert.Equal(new Uri("https://127.0.0.1:8443"), settings.Url);
        Assert.Equal("tct_abc_secret", settings.Token);
        Assert.Equal(token, settings.TokenSource);
        Assert.Equal(ca, settings.CaCertificate);
    }

    [Fact]
    public void Without_the_files_there_is_no_token_and_the_system_trust_store()
    {
        var settings = ApiSettings.Resolve(null, null, null, Env(), _home);

        Assert.Null(settings.Token);
        Assert.Equal(Path.Combine(_home, ".twincluster", "token"), settings.TokenSource);
        Assert.Null(settings.CaCertificate);
    }

    [Fact]
    public void Environment_variables_beat_the_defaults()
    {
        WriteHomeFile(".twincluster/token", "tct_home_x");
        var ca = WriteHomeFile("elsewhere/ca.pem", "pem");

        var settings = ApiSettings.Resolve(null, null, null,
            Env(("TWIN_URL", "https://silo.plant:9443"), ("TWIN_TOKEN", "tct_env_y"), ("TWIN_CACERT", ca)), _home);

        Assert.Equal(new Uri("https://silo.plant:9443"), settings.Url);
        Assert.Equal(("tct_env_y", "TWIN_TOKEN"), (settings.Token, settings.TokenSource));
        Assert.Equal(ca, settings.CaCertificate);
    }

    [Fact]
    public void Options_beat_the_environment()
    {
        var envCa = WriteHomeFile("env/ca.pem", "pem");
        var optionCa = WriteHomeFile("option/ca.pem", "pem");

        var settings = ApiSettings.Resolve("https://127.0.0.1:18443", "tct_opt_z", optionCa,
            Env(("TWIN_URL", "https://silo.plant:9443"), ("TWIN_TOKEN", "tct_env_y"), ("TWIN_CACERT", envCa)), _home);

        Assert.Equal(new Uri("https://127.0.0.1:18443"), settings.Url);
        Assert.Equal(("tct_opt_z", "--token"), (settings.Token, settings.TokenSource));
        Assert.Equal(optionCa, settings.CaCertificate);
    }

    [Fact]
    public void The_security_directory_moves_the_token_file_and_the_certificate_folder_moves_the_ca()
    {
        WriteHomeFile(".twincluster/token", "tct_home_x");
        var moved = WriteHomeFile("state/token", "tct_moved_w");
        var silo = WriteHomeFile("silo/token", "tct_silo_v");
        var ca = WriteHomeFile("certs/ca.pem", "pem");

        var ours = ApiSettings.Resolve(null, null, null,
            Env(("TWINCLUSTER_SECURITY_DIR", Path.GetDirectoryName(moved)!), ("TwinCluster__Security__Directory", Path.GetDirectoryName(silo)!),
                ("TwinCluster__Api__DevelopmentCertificateFolder", Path.GetDirectoryName(ca)!)), _home);
        var theSilos = ApiSettings.Resolve(null, null, null, Env(("TwinCluster__Security__Directory", Path.GetDirectoryName(silo)!)), _home);

        Assert.Equal(("tct_moved_w", moved, ca), (ours.Token, ours.TokenSource, ours.CaCertificate));
        Assert.Equal(("tct_silo_v", silo), (theSilos.Token, theSilos.TokenSource));
    }

    [Theory]
    [InlineData("127.0.0.1:8443")]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("not a url")]
    public void A_url_that_is_not_absolute_http_is_a_usage_error_naming_the_option(string url)
    {
        var error = Assert.Throws<UsageException>(() => ApiSettings.Resolve(url, null, null, Env(), _home));

        Assert.Contains("--url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_ca_file_is_a_usage_error_not_a_silent_fallback()
    {
        var missing = Path.Combine(_home, "nope.pem");

        var error = Assert.Throws<UsageException>(() => ApiSettings.Resolve(null, null, null, Env(("TWIN_CACERT", missing)), _home));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_turns_no_answer_at_the_url_into_exit_1_and_a_bad_url_into_exit_2()
    {
        var port = EmbeddedBroker.FreePort();

        Assert.Equal(ExitCodes.Failed, await TwinCli.RunAsync(["models", "list", "--url", $"https://127.0.0.1:{port}", "--token", "tct_x_y", "--timeout", "2"]));
        Assert.Equal(ExitCodes.Usage, await TwinCli.RunAsync(["models", "list", "--url", "127.0.0.1:8443"]));
        Assert.Equal(ExitCodes.Usage, await TwinCli.RunAsync(["twins", "get", "wt-01", "--gateway", "127.0.0.1:1"]));
    }

    [Theory]
    [InlineData("{\"error\":{\"code\":\"DigitalTwinNotFound\",\"message\":\"There is no twin x.\"}}", 404, "NotFound", "There is no twin x.")]
    [InlineData("{\"error\":{\"code\":\"PreconditionFailed\",\"message\":\"stale\"}}", 412, "PreconditionFailed", "stale")]
    [InlineData("{\"title\":\"Invalid\",\"status\":400,\"detail\":\"depth -1 must be 0 or more\"}", 400, "Invalid", "depth -1 must be 0 or more")]
    [InlineData("<html>oops</html>", 502, "BadGateway", "<html>oops</html>")]
    public void Refusals_are_read_from_either_envelope(string body, int status, string code, string message)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);

        var parsed = TwinApi.ParseError(body, response);

        Assert.Equal((code, message), (parsed.Code, parsed.Message));
    }
}
