namespace TwinCluster.Grains.Condition;

/// <summary>
/// One point of the health history that remaining life is estimated from: the mean health of the windows analysed
/// in one <see cref="ConditionOptions.HistoryInterval"/>.
/// </summary>
/// <param name="StartUtc">Signal time of the first window in the interval.</param>
/// <param name="TimeUtc">Mean signal time of the windows in it.</param>
/// <param name="Health">Mean health of the windows in it.</param>
/// <param name="Windows">How many windows it averages.</param>
[GenerateSerializer, Immutable, Alias("tc.HealthPoint")]
public sealed record HealthPoint(
    [property: Id(0)] DateTime StartUtc,
    [property: Id(1)] DateTime TimeUtc,
    [property: Id(2)] double Health,
    [property: Id(3)] int Windows);
