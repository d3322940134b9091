using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using MQTTnet;
using Xunit;

namespace TwinCluster.Integration.Tests.Infrastructure;

/// <summary>
/// A throwaway Mosquitto 2.0 broker for tests: a real <c>mosquitto</c> process listening on a free loopback port with
/// <c>allow_anonymous false</c> (clients sign in as <see cref="Username"/>), persistence in its own temp directory, and the limits in <see cref="MosquittoBrokerOptions"/>.
/// It can be stopped gracefully (SIGTERM: the broker saves its database), killed (SIGKILL) and started again on the
/// same port with the same persistence. Killed and deleted on dispose.
/// </summary>
/// <remarks>
/// Under root Mosquitto would drop privileges to the <c>mosquitto</c> user, which cannot write a temp directory
/// that root created; the config then says <c>user root</c> (Mosquitto logs a warning and keeps running as root).
/// Each directory records the test process that owns it, so a later run kills brokers whose owner died without
/// disposing them, and never touches others.
/// </remarks>
public sealed partial class MosquittoBroker : IAsyncDisposable
{
    /// <summary>Where Debian's <c>mosquitto</c> package puts the broker; override with TWINCLUSTER_MOSQUITTO.</summary>
    public const string DefaultBinary = "/usr/sbin/mosquitto";

    /// <summary>The only address the broker listens on.</summary>
    public const string Host = "127.0.0.1";

    private const string DirectoryPrefix = "twincluster-mosquitto-";
    private const string OwnerFileName = "owner.pid";
    private const string BrokerPidFileName = "broker.pid";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly StringBuilder _output = new();
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private Process? _process;
    private string? _rootDirectory;
    private int _port;
    private int _disposed;

    public MosquittoBroker(MosquittoBrokerOptions? options = null)
    {
        Options = options ?? new MosquittoBrokerOptions();
        Password = Options.Password ?? (Options.PasswordFile is null
            ? Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))
            : throw new ArgumentException("a PasswordFile needs the Password of its Username for the readiness probe", nameof(options)));
    }

    public MosquittoBrokerOptions Options { get; }

    /// <summary>The user clients sign in as.</summary>
    public string Username => Options.Username;

    /// <summary>Its password.</summary>
    public string Password { get; }

    /// <summary>The password file the broker reads.</summary>
    public string PasswordFile => Options.PasswordFile ?? Path.Combine(RootDirectory, "password_file");

    /// <summary>The loopback port, chosen at the first start and kept for later ones.</summary>
    public int Port => _port != 0 ? _port : throw new InvalidOperationException("The broker has not been started yet.");

    /// <summary>The temp directory with the config, the persistence database and the log.</summary>
    public string RootDirectory => _rootDirectory ?? throw new InvalidOperationException("The broker has not been started yet.");

    public string ConfigFile => Path.Combine(RootDirectory, "mosquitto.conf");

    public string LogFile => Path.Combine(RootDirectory, "mosquitto.log");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The version the running broker logged at start (for example 2.0.11 on Debian 12), or null before a start.</summary>
    public Version? Version { get; private set; }

    public static string BinaryPath =>
        Environment.GetEnvironmentVariable("TWINCLUSTER_MOSQUITTO") is { Length: > 0 } configured ? configured : DefaultBinary;

    /// <summary>Why no broker can be started here, or null when the binary is present.</summary>
    public static string? UnavailableReason => File.Exists(BinaryPath)
        ? null
        : $"Mosquitto was not found at {BinaryPath}: install the Debian package mosquitto (scripts/test does so when run " +
          "as root), or set TWINCLUSTER_MOSQUITTO, to run the MQTT broker tests.";

    /// <summary>Skips the calling test, saying why, when Mosquitto is not installed.</summary>
    public static void SkipUnlessAvailable()
    {
        if (UnavailableReason is { } reason)
        {
            Assert.Skip(reason);
        }
    }

    /// <summary>A new broker, started; skips the calling test when Mosquitto is not installed.</summary>
    public static async Task<MosquittoBroker> StartNewAsync(MosquittoBrokerOptions? options = null, CancellationToken cancellationToken = default)
    {
        SkipUnlessAvailable();
        var broker = new MosquittoBroker(options);
        try
        {
            await broker.StartAsync(cancellationToken);
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the broker and returns once an MQTT client can connect. The first start creates the directory and picks a
    /// free port (retrying when another process takes it first); later starts reuse both, so sessions and queued
    /// messages saved by <see cref="StopAsync"/> (or the last autosave before <see cref="KillAsync"/>) come back.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (IsRunning)
            {
                throw new InvalidOperationException($"The broker on port {_port} is already running.");
            }

            if (_rootDirectory is null)
            {
                StopOrphans();
                _rootDirectory = Directory.CreateTempSubdirectory(DirectoryPrefix).FullName;
                await File.WriteAllTextAsync(Path.Combine(_rootDirectory, OwnerFileName),
                    Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken);
                if (Options.PasswordFile is null)
                {
                    await WritePasswordFileAsync(cancellationToken);
                }
            }

            var firstStart = _port == 0;
            for (var attempt = 1; ; attempt++)
            {
                if (firstStart)
                {
                    _port = FreeTcpPort.Next();
                }

                var failure = await TryStartProcessAsync(cancellationToken);
                if (failure is null)
                {
                    return;
                }

                // The port was free when chosen but someone took it (or, on a restart, has not released it yet).
                if (attempt == 3 || !failure.Contains("Address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException($"Mosquitto did not start on port {_port}:\n{failure}");
                }
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Graceful stop: SIGTERM, then waits for the exit; Mosquitto writes its persistence database first.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => EndAsync(graceful: true, cancellationToken);

    /// <summary>SIGKILL: whatever changed since the last autosave is lost.</summary>
    public Task KillAsync(CancellationToken cancellationToken = default) => EndAsync(graceful: false, cancellationToken);

    /// <summary>Graceful stop, then start again on the same port with the same persistence.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        await StartAsync(cancellationToken);
    }

    /// <summary>The broker's log file and what the process printed, for failure messages.</summary>
    public string ReadLog()
    {
        var text = new StringBuilder();
        if (_rootDirectory is not null && File.Exists(LogFile))
        {
            try
            {
                using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                text.Append(reader.ReadToEnd());
            }
            catch (IOException ex)
            {
                text.Append(CultureInfo.InvariantCulture, $"(log unreadable: {ex.Message})\n");
            }
        }

        lock (_output)
        {
            if (_output.Length > 0)
            {
                text.Append("--- process output ---\n").Append(_output);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Waits until the log holds at least <paramref name="count"/> lines containing <paramref name="text"/> (for example
    /// "Saving in-memory database", which Mosquitto logs at every autosave); the log is the broker's only signal of them.
    /// </summary>
    public async Task WaitForLogLinesAsync(string text, int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.StartNew();
        while (CountLogLines(text) < count)
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"Mosquitto logged {CountLogLines(text)} of {count} lines with \"{text}\" within {timeout.TotalSeconds:0} s:\n{ReadLog()}");
            }

            // Polling interval, bounded by the deadline above.
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }

    /// <summary>How many lines of the log file contain <paramref name="text"/>.</summary>
    public int CountLogLines(string text) =>
        ReadLog().Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

    public override string ToString() => $"mosquitto on {Host}:{_port} ({_rootDirectory})";

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _lifecycle.WaitAsync();
        try
        {
            if (_process is { } process)
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }

                process.Dispose();
                _process = null;
            }

            if (_rootDirectory is not null)
            {
                TryDelete(_rootDirectory);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task EndAsync(bool graceful, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (_process is not { } process)
            {
                return;
            }

            if (!process.HasExited)
            {
                if (graceful)
                {
                    // .NET can only SIGKILL; libc kill(2) needs no kill binary (procps) on the machine.
                    if (SendSignal(process.Id, SigTerm) != 0 && !process.HasExited)
                    {
                        throw new InvalidOperationException(
                            $"kill({process.Id}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}.");
                    }
                }
                else
                {
                    process.Kill();
                }

                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(StopTimeout);
                try
                {
                    await process.WaitForExitAsync(deadline.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    process.Kill();
                    throw new TimeoutException(
                        $"Mosquitto on port {_port} did not exit within {StopTimeout.TotalSeconds:0} s of SIGTERM:\n{ReadLog()}");
                }
            }

            process.Dispose();
            _process = null;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    // Returns null when the broker accepts MQTT connections, otherwise why it does not (its log and output).
    private async Task<string?> TryStartProcessAsync(CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(ConfigFile, BuildConfig(), cancellationToken);
        lock (_output)
        {
            _output.Clear();
        }

        var startInfo = new ProcessStartInfo(BinaryPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RootDirectory,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(ConfigFile);

        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => AppendOutput(e.Data);
        process.ErrorDataReceived += (_, e) => AppendOutput(e.Data);
        if (!process.Start())
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start {BinaryPath}.");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await File.WriteAllTextAsync(Path.Combine(RootDirectory, BrokerPidFileName),
            process.Id.ToString(CultureInfo.InvariantCulture), cancellationToken);

        var ready = await WaitUntilReadyAsync(process, cancellationToken);
        if (ready is null)
        {
            Version = VersionLine().Match(ReadLog()) is { Success: true } match && Version.TryParse(match.Groups[1].Value, out var version)
                ? version
                : null;
            return null;
        }

        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync(CancellationToken.None);
        process.Dispose();
        _process = null;
        return $"{ready}\n{ReadLog()}";
    }

    // Readiness is an MQTT connection that the broker accepts (clean start, so it leaves no session behind).
    private async Task<string?> WaitUntilReadyAsync(Process process, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        Exception? last = null;
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(Host, _port)
            .WithClientId($"readiness-probe-{Guid.NewGuid():N}")
            .WithCredentials(Username, Password)
            .WithCleanStart()
            .WithTimeout(TimeSpan.FromSeconds(2))
            .Build();
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (process.HasExited)
            {
                return $"mosquitto exited with code {process.ExitCode} before accepting connections.";
            }

            // A fresh client per attempt: a failed connect leaves nothing behind to reset.
            using var client = new MqttClientFactory().CreateMqttClient();
            try
            {
                var result = await client.ConnectAsync(options, cancellationToken);
                if (result.ResultCode == MqttClientConnectResultCode.Success)
                {
                    await client.DisconnectAsync(cancellationToken: cancellationToken);
                    return null;
                }

                last = new InvalidOperationException($"CONNACK {result.ResultCode}: {result.ReasonString}");
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException
                                           && !cancellationToken.IsCancellationRequested)
            {
                last = ex;
            }

            // Polling interval, bounded by the deadline above.
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }

        return $"mosquitto accepted no MQTT connection within {ReadyTimeout.TotalSeconds:0} s: {last?.Message}";
    }

    private string BuildConfig()
    {
        var directory = RootDirectory;
        var config = new StringBuilder();
        config.AppendLine("# TwinCluster test broker, written by MosquittoBroker.cs");
        if (Environment.IsPrivilegedProcess)
        {
            // Otherwise it drops to the mosquitto user, which cannot write this root-owned temp directory.
            config.AppendLine("user root");
        }

        config.AppendLine(CultureInfo.InvariantCulture, $"listener {_port} {Host}");
        config.AppendLine("allow_anonymous false");
        config.AppendLine(CultureInfo.InvariantCulture, $"password_file {PasswordFile}");
        if (Options.AclFile is { } acl)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"acl_file {acl}");
        }

        config.AppendLine("persistence true");
        config.AppendLine(CultureInfo.InvariantCulture, $"persistence_location {directory}/");
        config.AppendLine(CultureInfo.InvariantCulture, $"autosave_interval {Options.AutosaveIntervalSeconds}");
        config.AppendLine("autosave_on_changes false");
        config.AppendLine(CultureInfo.InvariantCulture, $"max_inflight_messages {Options.MaxInflightMessages}");
        config.AppendLine(CultureInfo.InvariantCulture, $"max_queued_messages {Options.MaxQueuedMessages}");
        config.AppendLine("max_queued_bytes 0");
        config.AppendLine(CultureInfo.InvariantCulture, $"max_packet_size {Options.MaxPacketSize}");
        config.AppendLine("set_tcp_nodelay true");
        config.AppendLine(CultureInfo.InvariantCulture, $"log_dest file {directory}/mosquitto.log");
        config.AppendLine("log_type error");
        config.AppendLine("log_type warning");
        config.AppendLine("log_type notice");
        config.AppendLine("log_type information");
        config.AppendLine("log_type subscribe");
        config.AppendLine("log_timestamp_format %Y-%m-%dT%H:%M:%S");
        return config.ToString();
    }

    // mosquitto_passwd ships with the broker (Debian package mosquitto) and hashes with PBKDF2-SHA512 ($7$).
    private async Task WritePasswordFileAsync(CancellationToken cancellationToken)
    {
        var tool = Path.Combine(Path.GetDirectoryName(BinaryPath) ?? "/usr/sbin", "..", "bin", "mosquitto_passwd");
        var start = new ProcessStartInfo(File.Exists(tool) ? tool : "mosquitto_passwd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-c", "-b", PasswordFile, Username, Password })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start mosquitto_passwd");
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_passwd exited {process.ExitCode}: {await error}");
        }
    }

    private void AppendOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int processId, int signal);

    [GeneratedRegex(@"mosquitto version (\d+\.\d+\.\d+) (?:starting|running)")]
    private static partial Regex VersionLine();

    private static void StopOrphans()
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            try
            {
                var ownerFile = Path.Combine(directory, OwnerFileName);
                if (!File.Exists(ownerFile)
                    || !int.TryParse(File.ReadAllText(ownerFile), CultureInfo.InvariantCulture, out var owner)
                    || IsAlive(owner))
                {
                    continue;
                }

                var brokerPidFile = Path.Combine(directory, BrokerPidFileName);
                if (File.Exists(brokerPidFile)
                    && int.TryParse(File.ReadAllText(brokerPidFile), CultureInfo.InvariantCulture, out var brokerPid)
                    && IsBrokerOf(brokerPid, directory))
                {
                    using var broker = Process.GetProcessById(brokerPid);
                    broker.Kill();
                    broker.WaitForExit(TimeSpan.FromSeconds(10));
                }

                TryDelete(directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
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

    // The pid may have been reused: only a mosquitto started with this directory's config is ours.
    private static bool IsBrokerOf(int processId, string directory)
    {
        var cmdline = $"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/cmdline";
        return File.Exists(cmdline) && File.ReadAllText(cmdline).Contains(directory, StringComparison.Ordinal);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next run's orphan sweep.
        }
    }
}
