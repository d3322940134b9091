using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace TwinCluster.Integration.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL 15 server for tests: a fresh cluster in a temp directory, listening on a free loopback port
/// with trust authentication, fsync off. Stopped and deleted on dispose.
/// </summary>
/// <remarks>
/// initdb refuses to run as root, so under root every server command runs as the <c>postgres</c> OS user (runuser) in a
/// directory that user owns; otherwise it runs as the current user. Each directory records the test process that owns
/// it, so a later run stops and deletes servers whose owner died without disposing them, and never touches others.
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>Where Debian puts PostgreSQL 15; override with TWINCLUSTER_PG_BIN.</summary>
    public const string DefaultBinDirectory = "/usr/lib/postgresql/15/bin";

    /// <summary>The database superuser created by initdb.</summary>
    public const string SuperUser = "postgres";

    private const string OsUser = "postgres";
    private const string DirectoryPrefix = "twincluster-pg-";
    private const string OwnerFileName = "owner.pid";

    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly string _binDirectory;
    private readonly bool _runAsPostgres;
    private int _disposed;

    private PostgresServer(string binDirectory, bool runAsPostgres, string rootDirectory, int port)
    {
        _binDirectory = binDirectory;
        _runAsPostgres = runAsPostgres;
        RootDirectory = rootDirectory;
        Port = port;
    }

    public int Port { get; }

    public string RootDirectory { get; }

    private string DataDirectory => Path.Combine(RootDirectory, "data");

    private string LogFile => Path.Combine(RootDirectory, "server.log");

    /// <summary>Connects to the <c>postgres</c> maintenance database as the superuser.</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    public static string BinDirectory =>
        Environment.GetEnvironmentVariable("TWINCLUSTER_PG_BIN") is { Length: > 0 } configured ? configured : DefaultBinDirectory;

    /// <summary>Why no server can be started here, or null when the binaries are present.</summary>
    public static string? UnavailableReason
    {
        get
        {
            var missing = new[] { "initdb", "pg_ctl", "postgres" }
                .Where(tool => !File.Exists(Path.Combine(BinDirectory, tool)))
                .ToList();
            return missing.Count == 0
                ? null
                : $"PostgreSQL binaries ({string.Join(", ", missing)}) were not found in {BinDirectory}: install postgresql-15 " +
                  "(or set TWINCLUSTER_PG_BIN) to run the PostgreSQL integration tests.";
        }
    }

    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        if (UnavailableReason is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        var binDirectory = BinDirectory;
        var runAsPostgres = Environment.IsPrivilegedProcess;
        await StopOrphansAsync(binDirectory, runAsPostgres, cancellationToken);

        var root = Directory.CreateTempSubdirectory(DirectoryPrefix).FullName;
        await File.WriteAllTextAsync(
            Path.Combine(root, OwnerFileName), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken);
        try
        {
            if (runAsPostgres)
            {
                await RunCheckedAsync("chown", ["-R", $"{OsUser}:{OsUser}", root], cancellationToken);
            }

            var data = Path.Combine(root, "data");
            await RunToolAsync(binDirectory, runAsPostgres, "initdb",
                ["-D", data, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
                cancellationToken);
            // Appending keeps the file's owner; these settings trade durability for speed, fine for a throwaway.
            await File.AppendAllTextAsync(Path.Combine(data, "postgresql.conf"), """

                # TwinCluster test server
                listen_addresses = '127.0.0.1'
                unix_socket_directories = ''
                fsync = off
                synchronous_commit = off
                full_page_writes = off
                max_connections = 300
                shared_buffers = 64MB
                log_min_messages = warning

                """, cancellationToken);

            // A port can be taken between choosing and binding (others run tests here too): try a few.
            for (var attempt = 1; ; attempt++)
            {
                var port = FreeTcpPort.Next();
                var server = new PostgresServer(binDirectory, runAsPostgres, root, port);
                var started = await server.TryStartAsync(cancellationToken);
                if (started is null)
                {
                    await server.WaitUntilReadyAsync(cancellationToken);
                    return server;
                }

                if (attempt == 3 || !started.Contains("already in use", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException($"PostgreSQL did not start on port {port}:\n{started}");
                }
            }
        }
        catch
        {
            await StopAndDeleteAsync(binDirectory, runAsPostgres, root, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Creates an empty database with a unique name and returns a connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(string namePrefix = "tc", CancellationToken cancellationToken = default)
    {
        var name = $"{namePrefix}_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionStringFor(name);
    }

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
        IncludeErrorDetail = true,
        Timeout = 15,
    }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await StopAndDeleteAsync(_binDirectory, _runAsPostgres, RootDirectory, CancellationToken.None);
    }

    // Returns null when pg_ctl reports the server started, otherwise what it and the server log said.
    private async Task<string?> TryStartAsync(CancellationToken cancellationToken)
    {
        var result = await RunToolUncheckedAsync(_binDirectory, _runAsPostgres, "pg_ctl",
            ["-D", DataDirectory, "-l", LogFile, "-o", $"-p {Port}", "-w", "-t", "60", "start"], cancellationToken);
        if (result.ExitCode == 0)
        {
            return null;
        }

        var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile, cancellationToken) : "(no server log)";
        return result.Output + "\n" + log;
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        Exception? last = null;
        while (deadline.Elapsed < ReadyTimeout)
        {
            try
            {
                await using var connection = new NpgsqlConnection(
                    new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false, Timeout = 2 }.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                last = ex;
            }

            // Polling interval, bounded by the deadline above.
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        throw new TimeoutException(
            $"PostgreSQL on port {Port} accepted no connection within {ReadyTimeout.TotalSeconds:0} s: {last?.Message}");
    }

    private static async Task StopOrphansAsync(string binDirectory, bool runAsPostgres, CancellationToken cancellationToken)
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            try
            {
                var ownerFile = Path.Combine(directory, OwnerFileName);
                if (!File.Exists(ownerFile)
                    || !int.TryParse(await File.ReadAllTextAsync(ownerFile, cancellationToken), CultureInfo.InvariantCulture, out var owner)
                    || IsAlive(owner))
                {
                    continue;
                }

                await StopAndDeleteAsync(binDirectory, runAsPostgres, directory, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // Someone else's directory, or one being removed right now: not ours to clean.
            }
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task StopAndDeleteAsync(string binDirectory, bool runAsPostgres, string root, CancellationToken cancellationToken)
    {
        var data = Path.Combine(root, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            // Immediate: nothing in a throwaway server needs a clean shutdown.
            await RunToolUncheckedAsync(binDirectory, runAsPostgres, "pg_ctl",
                ["-D", data, "-m", "immediate", "-w", "-t", "60", "stop"], cancellationToken);
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next run's orphan sweep.
        }
    }

    private static async Task RunToolAsync(
        string binDirectory, bool runAsPostgres, string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var result = await RunToolUncheckedAsync(binDirectory, runAsPostgres, tool, arguments, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed with exit code {result.ExitCode}:\n{result.Output}");
        }
    }

    private static Task<ProcessRunner.Result> RunToolUncheckedAsync(
        string binDirectory, bool runAsPostgres, string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(binDirectory, tool);
        return runAsPostgres
            ? ProcessRunner.RunAsync("runuser", ["-u", OsUser, "--", path, .. arguments], ToolTimeout, cancellationToken)
            : ProcessRunner.RunAsync(path, arguments, ToolTimeout, cancellationToken);
    }

    private static async Task RunCheckedAsync(string fileName, string[] arguments, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(fileName, arguments, ToolTimeout, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} failed with exit code {result.ExitCode}:\n{result.Output}");
        }
    }
}
