using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TwinCluster.Integration.Tests.Infrastructure;

namespace TwinCluster.Integration.Tests.Security;

/// <summary>
/// An OpenID Connect issuer the test controls, on loopback: it serves the discovery document and its signing key (a
/// JWKS), and signs JWTs with that key, so the silo's JWT bearer handler runs against a real issuer without a network.
/// For browser sign-in it runs the authorization code flow with PKCE: <c>/authorize</c> signs in
/// <see cref="BrowserUser"/> at once (no login form) and redirects back with a code; <c>/token</c> exchanges the code,
/// checking the redirect URI, the client and the PKCE verifier, for an ID token carrying the request's nonce.
/// </summary>
internal sealed class LocalOidcIssuer : IDisposable
{
    public const string KeyId = "test-key-1";

    private readonly HttpListener _listener = new();
    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _stranger = RSA.Create(2048);
    private readonly Task _serving;
    private readonly Dictionary<string, (string ClientId, string RedirectUri, string Nonce, string Challenge)> _codes = [];

    public LocalOidcIssuer()
    {
        var port = FreeTcpPort.Next();
        Authority = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Authority + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The issuer URL (also each token's <c>iss</c>).</summary>
    public string Authority { get; }

    /// <summary>How many times the silo fetched the key set (it must have, for a JWT to pass).</summary>
    public int KeyFetches { get; private set; }

    /// <summary>Who <c>/authorize</c> signs in, with their roles and scopes; null refuses (access_denied).</summary>
    public (string Subject, string[] Roles, string[]? Scopes)? BrowserUser { get; set; }

    /// <summary>Codes exchanged at <c>/token</c> (each at most once).</summary>
    public int CodesRedeemed { get; private set; }

    /// <summary>
    /// A signed JWT. <paramref name="foreignKey"/> signs with a key the JWKS does not hold (same key id), so the
    /// signature fails; the other parameters make the usual refusals.
    /// </summary>
    public string Token(string subject, string audience, string[]? roles = null, string[]? scopes = null, TimeSpan? lifetime = null,
        string? issuer = null, bool foreignKey = false, string? nonce = null)
    {
        var now = DateTimeOffset.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(10));
        var claims = new Dictionary<string, object>
        {
            ["iss"] = issuer ?? Authority,
            ["aud"] = audience,
            ["sub"] = subject,
            ["preferred_username"] = subject,
            ["iat"] = now.AddMinutes(-20).ToUnixTimeSeconds(),
            ["nbf"] = now.AddMinutes(-20).ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
        };
        if (roles is not null)
        {
            claims["roles"] = roles;
        }

        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        if (scopes is not null)
        {
            claims["twin_scope"] = scopes;
        }

        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = KeyId }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signed = header + "." + payload;
        var signature = (foreignKey ? _stranger : _key).SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64Url(signature);
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _ = _serving.Exception;
        _key.Dispose();
        _stranger.Dispose();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            switch (context.Request.Url?.AbsolutePath)
            {
                case "/authorize":
                    Authorize(context);
                    continue;
                case "/token":
                    await TokenAsync(context);
                    continue;
            }

            object? body = context.Request.Url?.AbsolutePath switch
            {
                "/.well-known/openid-configuration" => new Dictionary<string, object>
                {
                    ["issuer"] = Authority,
                    ["jwks_uri"] = Authority + "/jwks",
                    ["authorization_endpoint"] = Authority + "/authorize",
                    ["token_endpoint"] = Authority + "/token",
                    ["response_types_supported"] = new[] { "code" },
                    ["subject_types_supported"] = new[] { "public" },
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                },
                "/jwks" => Jwks(),
                _ => null,
            };
            context.Response.StatusCode = body is null ? 404 : 200;
            context.Response.ContentType = "application/json";
            if (body is not null)
            {
                await context.Response.OutputStream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body));
            }

            context.Response.Close();
        }
    }

    private void Authorize(HttpListenerContext context)
    {
        var q = context.Request.QueryString;
        var redirect = q["redirect_uri"] ?? "";
        var state = Uri.EscapeDataString(q["state"] ?? "");
        string location;
        if (BrowserUser is null)
        {
            location = $"{redirect}?error=access_denied&state={state}";
        }
        else if (q["response_type"] != "code" || q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"]) || string.IsNullOrEmpty(q["nonce"]))
        {
            location = $"{redirect}?error=invalid_request&state={state}";
        }
        else
        {
            var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            lock (_codes)
            {
                _codes[code] = (q["client_id"] ?? "", redirect, q["nonce"]!, q["code_challenge"]!);
            }

            location = $"{redirect}?code={code}&state={state}";
        }

        context.Response.StatusCode = 302;
        context.Response.RedirectLocation = location;
        context.Response.Close();
    }

    private async Task TokenAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var form = System.Web.HttpUtility.ParseQueryString(await reader.ReadToEndAsync());
        (string ClientId, string RedirectUri, string Nonce, string Challenge) grant;
        bool known;
        lock (_codes)
        {
            known = _codes.Remove(form["code"] ?? "", out grant);
        }

        var verifier = form["code_verifier"] ?? "";
        var pkce = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        object body;
        if (!known || form["grant_type"] != "authorization_code" || form["redirect_uri"] != grant.RedirectUri || form["client_id"] != grant.ClientId
            || pkce != grant.Challenge || BrowserUser is not { } user)
        {
            context.Response.StatusCode = 400;
            body = new Dictionary<string, string> { ["error"] = "invalid_grant" };
        }
        else
        {
            CodesRedeemed++;
            context.Response.StatusCode = 200;
            body = new Dictionary<string, object>
            {
                ["id_token"] = Token(user.Subject, grant.ClientId, user.Roles, user.Scopes, nonce: grant.Nonce),
                ["access_token"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
                ["token_type"] = "Bearer",
                ["expires_in"] = 600,
            };
        }

        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body));
        context.Response.Close();
    }

    private object Jwks()
    {
        KeyFetches++;
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        return new Dictionary<string, object>
        {
            ["keys"] = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "RSA",
                    ["use"] = "sig",
                    ["alg"] = "RS256",
                    ["kid"] = KeyId,
                    ["n"] = Base64Url(parameters.Modulus!),
                    ["e"] = Base64Url(parameters.Exponent!),
                },
            },
        };
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
