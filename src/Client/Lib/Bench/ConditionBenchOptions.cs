namespace TwinCluster.Client.Bench;

/// <summary>Settings of <see cref="ConditionBench"/>.</summary>
public sealed record ConditionBenchOptions
{
    /// <summary>Broker host.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Broker port.</summary>
    public int Port { get; init; } = 1883;

    /// <summary>Bearing twins that analyse vibration (default 1,000).</summary>
    public int Twins { get; init; } = 1000;

    /// <summary>Bearings per generator (one generator per turbine).</summary>
    public int PerTurbine { get; init; } = 10;

    /// <summary>Vibration sample rate (default 1 kHz); each twin gets one 1-second block a second.</summary>
    public double SampleRateHz { get; init; } = 1000;

    /// <summary>Bearings that grow an outer-race defect during the run, so alerts and roll-up have something to show.</summary>
    public int Faulty { get; init; } = 10;

    /// <summary>Not measured: twins activate, buffers fill, first windows are analysed.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The measured phase.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The silo's process id on this machine, to read its CPU time (optional).</summary>
    public int? SiloProcessId { get; init; }

    /// <summary>The repository's models folder (the wind-farm models are uploaded from it when missing).</summary>
    public string ModelsRoot { get; init; } = "models";

    /// <summary>Prefix of the bench twins' ids.</summary>
    public string Prefix { get; init; } = "bench-cm";
}
