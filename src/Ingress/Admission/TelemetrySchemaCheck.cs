using System.Globalization;
using System.Text.Json;
using TwinCluster.Modeling;
using TwinCluster.Wire;

namespace TwinCluster.Ingress.Admission;

/// <summary>
/// Checks a decoded message against the twin's DTDL model: every channel must be a telemetry of the model (or
/// <c>component/telemetry</c>), its schema must accept the samples, and a stated unit must equal the modelled one.
/// </summary>
/// <remarks>
/// A channel's samples are values of the telemetry's schema (for an <c>Array</c> schema, of its element schema).
/// <see cref="TwinValidator.ValidateTelemetry"/> runs once per channel, on the first sample with the stated unit,
/// rather than once per sample; the other samples are already known to be finite numbers, which every
/// floating-point schema accepts, so only integer and float schemas look at each sample (integral, in range).
/// </remarks>
public static class TelemetrySchemaCheck
{
    /// <summary>Null when <paramref name="message"/> fits <paramref name="model"/>, otherwise the first problem found.</summary>
    public static Rejection? Check(TelemetryMessage message, InterfaceModel model, ModelSet models)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(models);
        foreach (var channel in message.Channels)
        {
            var telemetry = Find(model, models, channel.Name);
            if (telemetry is null)
            {
                return new Rejection(DeadLetterReason.UnknownTelemetry, $"values.{channel.Name}: not a telemetry of '{model.Id}'");
            }

            var sampleSchema = telemetry.Schema is ArraySchema array ? array.ElementSchema : telemetry.Schema;
            if (sampleSchema is not PrimitiveSchema { IsNumeric: true } primitive)
            {
                return new Rejection(DeadLetterReason.SchemaMismatch,
                    $"values.{channel.Name}: the model's schema is {telemetry.Schema.Describe()}, which numeric samples cannot carry");
            }

            var values = channel.Values.Span;
            var first = Representative(values[0], telemetry.Schema is ArraySchema);
            foreach (var error in TwinValidator.ValidateTelemetry(model, models, channel.Name, first, channel.Unit))
            {
                var reason = error.Code switch
                {
                    "telemetry.unknown" => DeadLetterReason.UnknownTelemetry,
                    "telemetry.unit" => DeadLetterReason.UnitMismatch,
                    _ => DeadLetterReason.SchemaMismatch,
                };
                return new Rejection(reason, $"values.{channel.Name}: {error.Message}");
            }

            for (var i = 1; i < values.Length; i++)
            {
                if (!Fits(primitive.Kind, values[i]))
                {
                    return new Rejection(DeadLetterReason.SchemaMismatch,
                        $"values.{channel.Name}[{i}]: {values[i].ToString("R", CultureInfo.InvariantCulture)} is not a valid {primitive.Term}");
                }
            }
        }

        return null;
    }

    // The same lookup as TwinValidator.ValidateTelemetry: "component/telemetry" reaches a component's model.
    private static TelemetryModel? Find(InterfaceModel model, ModelSet models, string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && model.Components.TryGetValue(name[..slash], out var component) && models.Find(component.SchemaId) is { } componentModel)
        {
            return componentModel.Telemetry.GetValueOrDefault(name[(slash + 1)..]);
        }

        return model.Telemetry.GetValueOrDefault(name);
    }

    private static JsonElement Representative(double value, bool asArray)
    {
        var number = value.ToString("R", CultureInfo.InvariantCulture);
        using var document = JsonDocument.Parse(asArray ? $"[{number}]" : number);
        return document.RootElement.Clone();
    }

    private static bool Fits(PrimitiveKind kind, double v) => kind switch
    {
        PrimitiveKind.Double or PrimitiveKind.Decimal => true,
        PrimitiveKind.Float => Math.Abs(v) <= float.MaxValue,
        PrimitiveKind.Byte => Whole(v, sbyte.MinValue, sbyte.MaxValue),
        PrimitiveKind.Short => Whole(v, short.MinValue, short.MaxValue),
        PrimitiveKind.Integer => Whole(v, int.MinValue, int.MaxValue),
        PrimitiveKind.Long => Whole(v, long.MinValue, long.MaxValue),
        PrimitiveKind.UnsignedByte => Whole(v, byte.MinValue, byte.MaxValue),
        PrimitiveKind.UnsignedShort => Whole(v, ushort.MinValue, ushort.MaxValue),
        PrimitiveKind.UnsignedInteger => Whole(v, uint.MinValue, uint.MaxValue),
        PrimitiveKind.UnsignedLong => Whole(v, ulong.MinValue, ulong.MaxValue),
        _ => false,
    };

    // long.MaxValue and ulong.MaxValue round up to 2^63 and 2^64 as doubles, so the upper bound is exclusive there.
    private static bool Whole(double v, double min, double max) =>
        Math.Floor(v) == v && v >= min && (max >= 9.2e18 ? v < max : v <= max);
}
