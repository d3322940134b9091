using System.CommandLine;
using Spectre.Console;
using TwinCluster.Grains.Interfaces;

namespace TwinCluster.Cli.Commands;

/// <summary>
/// <c>twin devices add|list|rotate|revoke|export</c>: MQTT credentials for devices, through the HTTP API
/// (<c>/api/v1/devices</c>, admin); the audit log records the token's principal.
/// </summary>
public static class DevicesCommands
{
    public static Command Build()
    {
        var devices = new Command("devices", "MQTT device credentials: each device publishes only for its own twins.");
        devices.Subcommands.Add(Add());
        devices.Subcommands.Add(List());
        devices.Subcommands.Add(Rotate());
        devices.Subcommands.Add(Revoke());
        devices.Subcommands.Add(Export());
        return devices;
    }

    private static Command Add()
    {
        var twin = new Argument<string>("twin") { Description = "The device's twin: also its MQTT user name and client id." };
        var twins = new Option<string?>("--twins") { Description = "More twins it may publish for, comma-separated (e.g. a turbine's components)." };
        var command = new Command("add", "Issue a credential; the password is shown once and only its hash is stored.") { twin, twins };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var more = (ctx.Value(twins) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            using var api = ctx.Api();
            var credential = await api.AddDeviceAsync(ctx.Value(twin), more, ct);
            Print(ctx, credential);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Rotate()
    {
        var username = new Argument<string>("username") { Description = "The device's user name." };
        var command = new Command("rotate", "Replace a device's password; the old one stops working and its connections are closed.") { username };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            using var api = ctx.Api();
            Print(ctx, await api.RotateDeviceAsync(ctx.Value(username), ct));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Revoke()
    {
        var username = new Argument<string>("username") { Description = "The device's user name." };
        var command = new Command("revoke", "Revoke a device: it can no longer connect, and its connections are closed.") { username };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var revoked = await api.RevokeDeviceAsync(ctx.Value(username), ct);
            if (ctx.Json)
            {
                CliContext.WriteJson(revoked);
            }
            else
            {
                Console.WriteLine($"Revoked device {revoked.Username}.");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "Every device credential (never the passwords).");
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            using var api = ctx.Api();
            var devices = await api.ListDevicesAsync(ct);
            if (ctx.Json)
            {
                CliContext.WriteJson(devices);
                return ExitCodes.Ok;
            }

            if (devices.IsEmpty)
            {
                Console.WriteLine("No devices.");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("username", "twins", "created", "rotated", "state");
            foreach (var d in devices)
            {
                table.AddRow(Markup.Escape(d.Username), Markup.Escape(string.Join(",", d.Twins)), d.CreatedAt.ToString("u"),
                    d.RotatedAt?.ToString("u") ?? "", d.RevokedAt is { } at ? $"revoked {at:u}" : "active");
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Export()
    {
        var mosquitto = new Option<string>("--mosquitto") { Description = "Directory to write Mosquitto's password_file and acl_file to.", Required = true };
        var serviceUser = new Option<string?>("--service-user") { Description = "Also a user that reads every twin topic (the ingress), e.g. twincluster-ingress." };
        var servicePasswordFile = new Option<string?>("--service-password-file") { Description = "File holding that user's password (the same one the ingress is given)." };
        var command = new Command("export", "Write the active devices as Mosquitto 2 password_file and acl_file.") { mosquitto, serviceUser, servicePasswordFile };
        command.SetAction(CliContext.Handler(async (ctx, ct) =>
        {
            var user = ctx.Value(serviceUser);
            var passwordFile = ctx.Value(servicePasswordFile);
            if ((user is null) != (passwordFile is null))
            {
                throw new UsageException("--service-user and --service-password-file go together");
            }

            var password = passwordFile is null ? null : (await File.ReadAllTextAsync(passwordFile, ct)).TrimEnd('\r', '\n');
            if (password is { Length: 0 })
            {
                throw new UsageException($"--service-password-file '{passwordFile}' is empty");
            }

            using var api = ctx.Api();
            var export = await api.ExportMosquittoAsync(user, password, ct);
            var directory = ctx.Value(mosquitto);
            Directory.CreateDirectory(directory);
            var passwordPath = Path.Combine(directory, "password_file");
            var aclPath = Path.Combine(directory, "acl_file");
            WritePrivate(passwordPath, export.PasswordFile);
            await File.WriteAllTextAsync(aclPath, export.AclFile, ct);
            if (ctx.Json)
            {
                CliContext.WriteJson(new { passwordFile = passwordPath, aclFile = aclPath, devices = export.Devices });
            }
            else
            {
                Console.WriteLine($"Wrote {export.Devices} devices to {passwordPath} (mode 0600) and {aclPath}.");
                Console.WriteLine("In mosquitto.conf: allow_anonymous false, password_file <that path>, acl_file <that path>.");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void WritePrivate(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(new FileStream(path, options));
        writer.Write(text);
    }

    private static void Print(CliContext ctx, DeviceCredential credential)
    {
        if (ctx.Json)
        {
            CliContext.WriteJson(new { clientId = credential.ClientId, username = credential.Username, password = credential.Password });
            return;
        }

        Console.WriteLine($"clientId: {credential.ClientId}");
        Console.WriteLine($"username: {credential.Username}");
        Console.WriteLine($"password: {credential.Password}");
        Console.WriteLine($"twins:    {string.Join(",", credential.Twins)}");
        Console.WriteLine("The password is shown only now; only its hash is stored.");
    }
}
