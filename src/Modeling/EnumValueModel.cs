namespace TwinCluster.Modeling;

/// <summary>One value of an Enum: its name and its on-the-wire value (an int or a string).</summary>
public sealed class EnumValueModel : NamedElement
{
    /// <summary>The wire value: an <see cref="int"/> or a <see cref="string"/>.</summary>
    public object Value { get; internal set; } = string.Empty;
}
