using System.Collections.Immutable;
using System.CommandLine;
using Spectre.Console;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Cli.Commands;

/// <summary>
/// <c>twin auth token create|list|revoke</c>: API tokens for scripts, through the HTTP API (admin). With
/// <c>--gateway</c> (or <c>--connection</c>) through the Orleans gateway instead: how the first admin token is made in
/// PostgreSQL mode, where no token exists yet (the embedded default writes one at start).
/// </summary>
public static class AuthCommands
{
    public static Command Build()
    {
        var auth = new Command("auth", "Access to the HTTP API.");
        var token = new Command("token", "TwinCluster's own API tokens (tct_…): shown once, only a hash is stored. Over the HTTP API with an admin token; " +
            "with --gateway HOST:PORT through the Orleans gateway, to make the first admin token in PostgreSQL mode (where none exists yet).");
        token.Subcommands.Add(Create());
        token.Subcommands.Add(List());
        token.Subcommands.Add(Revoke());
        auth.Subcommands.Add(token);
        return auth;
    }

    private static Command Create()
    {
        var role = new Option<string>("--role") { Description = "reader, operator, modeler or admin.", Required = true };
        var scope = new Option<string?>("--scope") { Description = "Limit it to this twin and everything it contains." };
        var expires = new Option<string?>("--expires") { Description = "Lifetime, e.g. 30d, 12h (default: no expiry)." };
        var name = new Option<string?>("--name") { Description = "A name for people (default token-ID)." };
        var command = new Command("create", "Create a token; it is printed once.") { role, scope, expires, name };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var roleText = ctx.Value(role);
            if (!Enum.TryParse<SecurityRole>(roleText, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(roleText, out _))
            {
                throw new UsageException($"--role '{roleText}' is not one of reader, operator, modeler, admin");
            }

            TimeSpan? lifetime = ctx.Value(expires) is { } text ? SecurityCliText.ParseDuration(text, "--expires") : null;
            IssuedApiToken issued;
            if (ctx.GatewayRequested)
            {
                await using var connection = await ctx.ConnectAsync(ct);
                issued = await connection.Client.GetApiTokens().Create(new ApiTokenRequest(parsed, ctx.Value(scope), lifetime, ctx.Value(name)), SecurityCliText.Actor);
            }
            else
            {
                using var api = ctx.Api();
                issued = await api.CreateTokenAsync(parsed, ctx.Value(scope), lifetime, ctx.Value(name), ct);
            }

            if (ctx.Json)
            {
                CliContext.WriteJson(new { token = issued.Token, id = issued.Info.Id, expiresAt = issued.Info.ExpiresAt });
            }
            else
            {
                Console.WriteLine(issued.Token);
                Console.Error.WriteLine($"Token {issued.Info.Id} ({issued.Info.Name}): {issued.Info.Role.ToString().ToLowerInvariant()}" +
                    (issued.Info.Scope is null ? "" : $" on {issued.Info.Scope} and below") +
                    (issued.Info.ExpiresAt is { } at ? $", expires {at:u}" : ", no expiry") + ". It is shown only now.");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "Every token (ids and names, never the tokens).");
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            ImmutableArray<ApiTokenInfo> tokens;
            if (ctx.GatewayRequested)
            {
                await using var connection = await ctx.ConnectAsync(ct);
                tokens = await connection.Client.GetApiTokens().List();
            }
            else
            {
                using var api = ctx.Api();
                tokens = await api.ListTokensAsync(ct);
            }

            if (ctx.Json)
            {
                CliContext.WriteJson(tokens);
                return ExitCodes.Ok;
            }

            if (tokens.IsEmpty)
            {
                Console.WriteLine("No tokens.");
                return ExitCodes.Ok;
            }

            var now = DateTimeOffset.UtcNow;
            var table = new Table().AddColumns("id", "name", "role", "scope", "created", "expires", "state");
            foreach (var t in tokens)
            {
                table.AddRow(t.Id, Markup.Escape(t.Name), t.Role.ToString().ToLowerInvariant(), Markup.Escape(t.Scope ?? "(all)"),
                    t.CreatedAt.ToString("u"), t.ExpiresAt?.ToString("u") ?? "never",
                    t.RevokedAt is not null ? "revoked" : t.IsValidAt(now) ? "active" : "expired");
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Revoke()
    {
        var id = new Argument<string>("id") { Description = "The token's id (from 'twin auth token list')." };
        var command = new Command("revoke", "Revoke a token.") { id };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            ApiTokenInfo revoked;
            if (ctx.GatewayRequested)
            {
                await using var connection = await ctx.ConnectAsync(ct);
                revoked = await connection.Client.GetApiTokens().Revoke(ctx.Value(id), SecurityCliText.Actor);
            }
            else
            {
                using var api = ctx.Api();
                revoked = await api.RevokeTokenAsync(ctx.Value(id), ct);
            }

            if (ctx.Json)
            {
                CliContext.WriteJson(revoked);
            }
            else
            {
                Console.WriteLine($"Revoked token {revoked.Id} ({revoked.Name}).");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
