using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace TwinCluster.Grains.Tests.Condition;

/// <summary>Round trip through the Orleans serializer, as grain storage and grain calls would do.</summary>
internal static class ConditionSerialization
{
    private static readonly Lazy<Serializer> Serializer = new(() =>
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>());

    public static T RoundTrip<T>(T value)
        where T : class =>
        Serializer.Value.Deserialize<T>(Serializer.Value.SerializeToArray(value)) ?? throw new InvalidOperationException("Deserialized to null.");
}
